"""Regenerate botocore_bodies.json: JSON 1.1 request bodies as botocore's own
serializer builds them (python3 testdata/botocore_bodies.py > testdata/botocore_bodies.json).

The Go test decodes each body into domain-shaped structs, so the codec is
checked against botocore (and thus the AWS CLI and boto3) as well as against
aws-sdk-go-v2."""
import datetime, json, sys
import botocore
import botocore.session
from botocore.serialize import create_serializer

utc = datetime.timezone.utc
session = botocore.session.get_session()
cases = [
    ("cloudtrail", "LookupEvents", {
        "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
        "StartTime": datetime.datetime(2024, 5, 31, 0, 0, 0, tzinfo=utc),
        "EndTime": datetime.datetime(2024, 6, 2, 0, 0, 0, 123456, tzinfo=utc),
        "MaxResults": 50}),
    ("cloudtrail", "DescribeTrails", {"trailNameList": ["main"], "includeShadowTrails": False}),
    ("cloudtrail", "PutEventSelectors", {"TrailName": "main", "EventSelectors": [{
        "ReadWriteType": "All", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::b/"]}],
        "ExcludeManagementEventSources": []}]}),
    ("logs", "DescribeLogGroups", {"logGroupNamePrefix": "/app/", "limit": 5}),
    ("kms", "Encrypt", {"KeyId": "alias/app", "Plaintext": b"\x00\x01\xff", "EncryptionContext": {"purpose": "test"}}),
]
out = {"botocore": botocore.__version__, "bodies": []}
for service, op, params in cases:
    model = session.get_service_model(service)
    req = create_serializer("json").serialize_to_request(params, model.operation_model(op))
    out["bodies"].append({"service": service, "operation": op, "body": req["body"].decode()})
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
