"""Regenerate botocore_forms.json: request forms as botocore's own Query
serializer builds them (python3 testdata/botocore_forms.py > testdata/botocore_forms.json).

The Go test decodes each form into domain-shaped structs, so the codec is
checked against botocore (and thus the AWS CLI and boto3) as well as against
aws-sdk-go-v2."""
import datetime, json, sys
import botocore
import botocore.session
from botocore.serialize import create_serializer

session = botocore.session.get_session()
cases = [
    ("iam", "CreateUser", {"UserName": "carol", "Path": "/eng/", "PermissionsBoundary": "arn:aws:iam::123456789012:policy/pb",
                           "Tags": [{"Key": "team", "Value": "x=y&z"}, {"Key": "empty", "Value": ""}]}),
    ("iam", "ListUsers", {"MaxItems": 10, "PathPrefix": "/"}),
    ("sts", "AssumeRole", {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "sess", "DurationSeconds": 3600,
                           "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
                           "Tags": [{"Key": "k", "Value": "v"}], "TransitiveTagKeys": []}),
    ("sns", "Publish", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "hi",
                        "MessageAttributes": {"color": {"DataType": "String", "StringValue": "red"},
                                              "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xff"}}}),
    ("sns", "CreateTopic", {"Name": "t", "Attributes": {"DisplayName": "Mine", "FifoTopic": "false"}, "Tags": []}),
    ("sns", "SetTopicAttributes", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "AttributeName": "DisplayName", "AttributeValue": ""}),
]
out = {"botocore": botocore.__version__, "forms": []}
for service, op, params in cases:
    model = session.get_service_model(service)
    req = create_serializer("query").serialize_to_request(params, model.operation_model(op))
    out["forms"].append({"service": service, "operation": op, "body": {k: str(v) for k, v in req["body"].items()}})
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
