#!/usr/bin/env python3
"""Cloud Map set-up and changes for benchmarks/scripts/cloudmap-bench.sh, with boto3, against moto_server.

These calls go to moto directly, not through the counting proxy: the benchmark counts Gatelink's calls only.

Usage:
  cloudmap.py setup --endpoint URL --region R --namespace NS --service SVC --instance-id ID --ipv4 A --port P
      creates an HTTP namespace, a service in it and one instance (AWS_INSTANCE_IPV4, AWS_INSTANCE_PORT);
      checks that DiscoverInstances (HEALTHY, as Gatelink asks) returns it; prints key=value lines:
      namespace_id, namespace_http_name, service_id, service_arn, revision
  cloudmap.py register --endpoint URL --region R --namespace NS --service SVC --service-id ID \\
                       --instance-id ID --ipv4 A --port P
      registers one more instance and prints revision=N, the service's DiscoverInstancesRevision after it

The credentials are whatever the environment gives boto3; the script sets dummy ones for moto.
"""
import argparse
import sys

import boto3
from botocore.config import Config


def client(args):
    # No host prefix: DiscoverInstances would otherwise go to data-HOST, which an emulator's address lacks.
    return boto3.client("servicediscovery", endpoint_url=args.endpoint, region_name=args.region,
                        config=Config(inject_host_prefix=False))


def revision(sd, args):
    return sd.discover_instances_revision(NamespaceName=args.namespace, ServiceName=args.service)[
        "InstancesRevision"]


def setup(args):
    sd = client(args)
    operation = sd.create_http_namespace(Name=args.namespace, Description="gatelink cloudmap-bench")["OperationId"]
    status = sd.get_operation(OperationId=operation)["Operation"]
    if status["Status"] != "SUCCESS":
        raise SystemExit("cloudmap.py: CreateHttpNamespace did not succeed: %s" % status)
    namespace_id = status["Targets"]["NAMESPACE"]
    namespace = sd.get_namespace(Id=namespace_id)["Namespace"]
    http_name = namespace["Properties"]["HttpProperties"]["HttpName"]
    service = sd.create_service(Name=args.service, NamespaceId=namespace_id,
                                Description="gatelink cloudmap-bench backend")["Service"]
    sd.register_instance(ServiceId=service["Id"], InstanceId=args.instance_id,
                         Attributes={"AWS_INSTANCE_IPV4": args.ipv4, "AWS_INSTANCE_PORT": str(args.port)})
    found = sd.discover_instances(NamespaceName=http_name, ServiceName=args.service, HealthStatus="HEALTHY")
    addresses = [(i["Attributes"].get("AWS_INSTANCE_IPV4"), i["Attributes"].get("AWS_INSTANCE_PORT"))
                 for i in found["Instances"]]
    if addresses != [(args.ipv4, str(args.port))]:
        raise SystemExit("cloudmap.py: DiscoverInstances(HEALTHY) answers %s, expected the one instance %s:%s"
                         % (addresses, args.ipv4, args.port))
    print("namespace_id=%s" % namespace_id)
    print("namespace_http_name=%s" % http_name)
    print("service_id=%s" % service["Id"])
    print("service_arn=%s" % service["Arn"])
    print("revision=%s" % revision(sd, args))


def register(args):
    sd = client(args)
    sd.register_instance(ServiceId=args.service_id, InstanceId=args.instance_id,
                         Attributes={"AWS_INSTANCE_IPV4": args.ipv4, "AWS_INSTANCE_PORT": str(args.port)})
    print("revision=%s" % revision(sd, args))


def main():
    parser = argparse.ArgumentParser(prog="cloudmap.py")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("setup", "register"):
        p = sub.add_parser(name)
        p.add_argument("--endpoint", required=True)
        p.add_argument("--region", required=True)
        p.add_argument("--namespace", required=True)
        p.add_argument("--service", required=True)
        p.add_argument("--instance-id", required=True)
        p.add_argument("--ipv4", required=True)
        p.add_argument("--port", required=True, type=int)
        if name == "register":
            p.add_argument("--service-id", required=True)
    args = parser.parse_args()
    setup(args) if args.command == "setup" else register(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
