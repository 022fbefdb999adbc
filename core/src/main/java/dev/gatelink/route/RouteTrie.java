package dev.gatelink.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The compiled segment trie behind a {@link RouteTable}.
 *
 * <p>Each node stands for a path prefix of some routes. Its children are a hash table of literal segments
 * (looked up straight from the decoded request buffer, without making a string), one child for a
 * {@code {variable}}, the routes that end at the node (one per method slot, with {@code ANY} already
 * filled into the slots that have no route of their own) and the greedy routes whose {@code {name+}}
 * starts at the node.
 *
 * <p>A lookup runs two depth-first searches, each visiting children in the order literal, then variable,
 * so the first route found is the one that wins segment by segment from the left. The first search finds
 * only full (non-greedy) matches; the second, run only when the first finds nothing, also tries each
 * node's greedy routes after its children, so among greedy routes the longer prefix wins. Every node
 * knows at which distances below it a full match can end, and which method slots its full matches and
 * its greedy routes serve, so the searches skip every subtree that cannot produce a match for the
 * request's length and method: a lookup's cost depends on the path's length and on how the routes overlap, not on their
 * number. (Only a table built to defeat it, with a literal and a variable branch at every level of many
 * levels, can make a search visit a number of nodes that grows with the table.)
 */
final class RouteTrie {

  private RouteTrie() {}

  /** An immutable node. Arrays indexed by method slot are shared read-only. */
  static final class Node {
    /**
     * Up to this many literal children are kept in a plain list and compared length first, which rejects
     * most segments (a UUID against {@code search}) without hashing them; more go into a hash table.
     */
    static final int LISTED_LITERALS = 8;

    /**
     * The literal children as pairs: the segment's characters at {@code 2 * i}, the child at
     * {@code 2 * i + 1}. Either a list of {@link #LISTED_LITERALS} pairs at most ({@link #literalMask} is
     * -1), or an open-addressing table. One array, made with the node, so that a probe touches few lines.
     */
    private final Object[] literals;
    /** For a hash table of literals, its capacity minus one; -1 for a list (possibly empty). */
    private final int literalMask;
    private final @Nullable Node variable;
    private final CompiledRoute<?> @Nullable [] exact;
    private final CompiledRoute<?> @Nullable [] greedy;
    /** Bit d (d < 63) is set if a full match ends d segments below; bit 63 means 63 or more. */
    private final long exactDepths;
    /** Bit s is set if a full match for method slot s ends at this node or below. */
    private final int exactSlots;
    /** Bit s is set if a greedy route for method slot s starts at this node or below. */
    private final int greedySlots;

    private Node(Map<String, Node> literalChildren, @Nullable Node variable, CompiledRoute<?> @Nullable [] exact,
        CompiledRoute<?> @Nullable [] greedy) {
      List<Node> children = new ArrayList<>(literalChildren.values());
      if (variable != null) {
        children.add(variable);
      }
      if (literalChildren.size() <= LISTED_LITERALS) {
        literals = new Object[literalChildren.size() * 2];
        literalMask = -1;
        int i = 0;
        for (Map.Entry<String, Node> entry : literalChildren.entrySet()) {
          literals[i++] = entry.getKey().toCharArray();
          literals[i++] = entry.getValue();
        }
      } else {
        int capacity = Integer.highestOneBit(Math.max(2, literalChildren.size()) * 2 - 1) << 1;
        literals = new Object[capacity * 2];
        literalMask = capacity - 1;
        literalChildren.forEach((segment, child) -> {
          int slot = LiteralPaths.spread(segment.hashCode()) & literalMask;
          while (literals[slot * 2] != null) {
            slot = (slot + 1) & literalMask;
          }
          literals[slot * 2] = segment.toCharArray();
          literals[slot * 2 + 1] = child;
        });
      }
      this.variable = variable;
      this.exact = exact;
      this.greedy = greedy;
      long depths = exact != null ? 1L : 0L;
      int exactSlots = 0;
      int greedySlots = 0;
      for (int s = 0; s < RouteMethod.SLOTS; s++) {
        if (exact != null && exact[s] != null) {
          exactSlots |= 1 << s;
        }
        if (greedy != null && greedy[s] != null) {
          greedySlots |= 1 << s;
        }
      }
      for (Node child : children) {
        depths |= below(child.exactDepths);
        exactSlots |= child.exactSlots;
        greedySlots |= child.greedySlots;
      }
      this.exactDepths = depths;
      this.exactSlots = exactSlots;
      this.greedySlots = greedySlots;
    }

    /** The child's depth bits seen one segment higher; 63 and more saturate into bit 63. */
    private static long below(long childDepths) {
      long shifted = childDepths << 1;
      if ((childDepths & (3L << 62)) != 0) {
        shifted |= 1L << 63;
      }
      return shifted;
    }

    /** The literal child for segment {@code index} of the path, or null. */
    private @Nullable Node literal(RequestPath path, int index) {
      Object[] table = literals;
      char[] chars = path.chars;
      int from = path.starts[index];
      int length = path.ends[index] - from;
      int mask = literalMask;
      if (mask < 0) {
        for (int i = 0; i < table.length; i += 2) {
          char[] key = (char[]) table[i];
          if (key.length == length && Arrays.equals(key, 0, length, chars, from, from + length)) {
            return (Node) table[i + 1];
          }
        }
        return null;
      }
      for (int slot = LiteralPaths.spread(path.hash(index)) & mask; ; slot = (slot + 1) & mask) {
        char[] key = (char[]) table[slot * 2];
        if (key == null) {
          return null;
        }
        if (key.length == length && Arrays.equals(key, 0, length, chars, from, from + length)) {
          return (Node) table[slot * 2 + 1];
        }
      }
    }
  }

  /** The best full (non-greedy) match below {@code node}, which has consumed {@code depth} segments. */
  static @Nullable CompiledRoute<?> findExact(Node node, RequestPath path, int depth, int slot) {
    int remaining = path.count - depth;
    if ((node.exactDepths & (1L << Math.min(remaining, 63))) == 0 || (node.exactSlots & (1 << slot)) == 0) {
      return null;
    }
    if (remaining == 0) {
      return node.exact[slot];
    }
    byte flags = path.flags[depth];
    if ((flags & RequestPath.MALFORMED) == 0) {
      Node child = node.literal(path, depth);
      if (child != null) {
        CompiledRoute<?> found = findExact(child, path, depth + 1, slot);
        if (found != null) {
          return found;
        }
      }
    }
    Node variable = node.variable;
    if (variable == null || (flags & RequestPath.UNCAPTURABLE) != 0) {
      return null;
    }
    return findExact(variable, path, depth + 1, slot);
  }

  /** The best greedy match below {@code node}, which has consumed {@code depth} segments. */
  static @Nullable CompiledRoute<?> findGreedy(Node node, RequestPath path, int depth, int slot) {
    if ((node.greedySlots & (1 << slot)) == 0 || depth >= path.count) {
      return null;
    }
    byte flags = path.flags[depth];
    if ((flags & RequestPath.MALFORMED) == 0) {
      Node child = node.literal(path, depth);
      if (child != null) {
        CompiledRoute<?> found = findGreedy(child, path, depth + 1, slot);
        if (found != null) {
          return found;
        }
      }
    }
    Node variable = node.variable;
    if (variable != null && (flags & RequestPath.UNCAPTURABLE) == 0) {
      CompiledRoute<?> found = findGreedy(variable, path, depth + 1, slot);
      if (found != null) {
        return found;
      }
    }
    return node.greedy != null && depth > path.lastUncapturable ? node.greedy[slot] : null;
  }

  /** Builds the trie of the given routes ({@code $default} excluded); keys are known to be distinct. */
  static Node compile(Iterable<? extends CompiledRoute<?>> routes) {
    Draft root = new Draft();
    for (CompiledRoute<?> route : routes) {
      RouteKey key = route.route.key();
      Draft node = root;
      int segments = key.segmentCount();
      for (int i = 0; i < segments; i++) {
        byte kind = key.kind(i);
        if (kind == RouteKey.GREEDY) {
          node.greedy[key.method().ordinal()] = route;
          break;
        }
        node = kind == RouteKey.LITERAL ? node.literals.computeIfAbsent(key.segment(i), s -> new Draft())
            : node.variable();
        if (i == segments - 1) {
          node.exact[key.method().ordinal()] = route;
        }
      }
    }
    return root.freeze();
  }

  /** A mutable node while the trie is built; routes indexed by {@link RouteMethod#ordinal()}. */
  private static final class Draft {
    final Map<String, Draft> literals = new LinkedHashMap<>();
    @Nullable Draft variable;
    final CompiledRoute<?>[] exact = new CompiledRoute<?>[RouteMethod.SLOTS];
    final CompiledRoute<?>[] greedy = new CompiledRoute<?>[RouteMethod.SLOTS];

    Draft variable() {
      Draft v = variable;
      if (v == null) {
        v = new Draft();
        variable = v;
      }
      return v;
    }

    Node freeze() {
      Map<String, Node> frozen = new LinkedHashMap<>();
      literals.forEach((segment, child) -> frozen.put(segment, child.freeze()));
      Draft v = variable;
      return new Node(frozen, v == null ? null : v.freeze(), bySlot(exact), bySlot(greedy));
    }
  }

  /**
   * Routes by request slot: a method's own route, else the {@code ANY} route; the last slot (methods no
   * route key can name) gets only the {@code ANY} route. Null when no route is given at all.
   */
  static <R> R @Nullable [] bySlot(R[] byMethod) {
    R any = byMethod[RouteMethod.ANY.ordinal()];
    boolean none = true;
    R[] slots = byMethod.clone();
    for (int s = 0; s < RouteMethod.SLOTS; s++) {
      if (slots[s] == null) {
        slots[s] = any;
      }
      none &= slots[s] == null;
    }
    return none ? null : slots;
  }
}
