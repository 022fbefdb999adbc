package dev.gatelink.route;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link RouteTable#match(String, String)}: the route chosen for a request and its decoded
 * path parameters, or the shared miss when no route (and no {@code $default}) matches.
 *
 * <p>A miss is a value, not an exception: test {@link #matched()} first. Matches are immutable. A literal
 * route's match carries no parameters and is shared between requests, so a literal hit allocates nothing.
 *
 * @param <T> the type of the routes' values
 */
public final class RouteMatch<T> {

  private static final String[] NONE = new String[0];
  @SuppressWarnings("rawtypes")
  private static final RouteMatch MISS = new RouteMatch<>(null, NONE, NONE);

  private final @Nullable Route<T> route;
  private final String[] names;
  private final String[] values;

  RouteMatch(@Nullable Route<T> route, String[] names, String[] values) {
    this.route = route;
    this.names = names;
    this.values = values;
  }

  /** The shared miss. */
  @SuppressWarnings("unchecked")
  static <T> RouteMatch<T> miss() {
    return MISS;
  }

  /** {@return whether a route matched; false only for the shared miss} */
  public boolean matched() {
    return route != null;
  }

  /**
   * The route that matched.
   *
   * @return the route
   * @throws NoSuchElementException on a miss
   */
  public Route<T> route() {
    if (route == null) {
      throw new NoSuchElementException("no route matched the request");
    }
    return route;
  }

  /**
   * The value of one path parameter, percent-decoded. A greedy variable's value is the rest of the path
   * without its leading slash, possibly empty.
   *
   * @param name the variable's name as written in the route key, without braces or {@code +}
   * @return the decoded value, or null when the route has no variable of that name
   */
  public @Nullable String pathParameter(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  /**
   * {@return all path parameters, percent-decoded, in the order of the route key's variables} The map is
   * empty on a miss, on {@code $default} and on routes without variables, and is an unmodifiable view.
   */
  public Map<String, String> pathParameters() {
    return new ParameterMap(names, values);
  }

  @Override
  public String toString() {
    return route == null ? "no match" : route.key() + " " + pathParameters();
  }

  /** An unmodifiable, ordered view of the parallel name and value arrays. */
  private static final class ParameterMap extends AbstractMap<String, String> {
    private final String[] names;
    private final String[] values;

    ParameterMap(String[] names, String[] values) {
      this.names = names;
      this.values = values;
    }

    @Override
    public int size() {
      return names.length;
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return get(key) != null;
    }

    @Override
    public @Nullable String get(@Nullable Object key) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(key)) {
          return values[i];
        }
      }
      return null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, String>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < names.length;
            }

            @Override
            public Entry<String, String> next() {
              if (next >= names.length) {
                throw new NoSuchElementException();
              }
              Entry<String, String> entry = Map.entry(names[next], values[next]);
              next++;
              return entry;
            }
          };
        }

        @Override
        public int size() {
          return names.length;
        }
      };
    }
  }
}
