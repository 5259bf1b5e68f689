#!/usr/bin/env python3
"""Writes s3.json: the part of botocore's S3 model (s3/2006-03-01) that the
restxml adapter binds, without documentation.

  python3 restxml/model/s3.py > restxml/model/s3.json

routes lists every S3 operation (name, method, requestUri), so that a request
for an operation Cairn does not serve is recognised as such; operations and
shapes hold the served operations and every shape they reach."""
import gzip
import json
import os
import sys

import botocore

SERVED = [
    "ListBuckets", "CreateBucket", "HeadBucket", "DeleteBucket", "GetBucketLocation",
    "PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects", "CopyObject",
    "ListObjects", "ListObjectsV2",
    "CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
    "AbortMultipartUpload", "ListParts", "ListMultipartUploads",
    "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy", "GetBucketPolicyStatus",
    "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock",
    "PutBucketOwnershipControls", "GetBucketOwnershipControls", "DeleteBucketOwnershipControls",
    "PutBucketAcl", "GetBucketAcl", "PutObjectAcl", "GetObjectAcl",
    "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging",
    "PutObjectTagging", "GetObjectTagging", "DeleteObjectTagging",
    "PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption",
]

KEEP_SHAPE = {"type", "members", "member", "key", "value", "required", "payload", "flattened",
              "locationName", "xmlNamespace", "timestampFormat", "streaming", "enum"}
KEEP_MEMBER = {"shape", "location", "locationName", "xmlNamespace", "xmlAttribute",
               "flattened", "timestampFormat", "streaming"}


def load():
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "s3", "2006-03-01", "service-2.json")
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz") as f:
            return json.load(f)
    with open(path) as f:
        return json.load(f)


def member(m):
    return {k: v for k, v in m.items() if k in KEEP_MEMBER}


def main():
    m = load()
    shapes = m["shapes"]
    out_shapes = {}

    def visit(name):
        if name in out_shapes:
            return
        s = shapes[name]
        o = {k: v for k, v in s.items() if k in KEEP_SHAPE}
        out_shapes[name] = o
        if "members" in o:
            o["members"] = {k: member(v) for k, v in s["members"].items()}
            for v in s["members"].values():
                visit(v["shape"])
        for k in ("member", "key", "value"):
            if k in o:
                o[k] = member(s[k])
                visit(s[k]["shape"])

    ops = {}
    for name in SERVED:
        op = m["operations"][name]
        o = {"http": op["http"]}
        for k in ("input", "output"):
            if k in op:
                o[k] = op[k]["shape"]
                visit(op[k]["shape"])
        ops[name] = o
    routes = sorted([n, op["http"]["method"], op["http"]["requestUri"]] for n, op in m["operations"].items())
    doc = {
        "source": "botocore " + botocore.__version__ + " s3/2006-03-01/service-2.json",
        "metadata": {k: m["metadata"][k] for k in ("apiVersion", "protocol", "serviceId")},
        "routes": routes,
        "operations": ops,
        "shapes": dict(sorted(out_shapes.items())),
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


main()
