#!/usr/bin/env python3
"""Writes the AWS service models Tally serves, trimmed to the operations it implements.

The models come from botocore (Debian's python3-botocore): they are the wire truth for the AWS endpoint.
Only what the protocol layer reads is kept (no documentation), so the jar carries a few kilobytes per
service. Run it again after adding an operation:

    /usr/bin/python3 adapters/aws/tools/trim_models.py

The test suite (test_models.py) fails when a shipped model no longer matches botocore's.
"""
import json
import os
import sys

import botocore.loaders

SERVED = {
    "apigateway": [
        "CreateUsagePlan", "GetUsagePlan", "GetUsagePlans", "UpdateUsagePlan", "DeleteUsagePlan",
        "CreateApiKey", "GetApiKey", "GetApiKeys", "UpdateApiKey", "DeleteApiKey",
        "CreateUsagePlanKey", "GetUsagePlanKey", "GetUsagePlanKeys", "DeleteUsagePlanKey",
        "GetUsage", "UpdateUsage",
    ],
    "cognito-identity": [
        "CreateIdentityPool", "DescribeIdentityPool", "ListIdentityPools", "DeleteIdentityPool",
        "GetId", "ListIdentities", "DescribeIdentity",
    ],
    "cognito-sync": [
        "DescribeIdentityUsage", "DescribeIdentityPoolUsage", "ListIdentityPoolUsage", "ListDatasets",
        "DescribeDataset", "DeleteDataset", "ListRecords", "UpdateRecords",
    ],
    "license-manager": [
        "CreateLicense", "GetLicense", "ListLicenses", "DeleteLicense", "CheckoutLicense", "CheckInLicense",
        "ExtendLicenseConsumption", "GetLicenseUsage",
    ],
}
METADATA = ["apiVersion", "endpointPrefix", "jsonVersion", "protocol", "signingName", "targetPrefix", "timestampFormat"]
OPERATION = ["name", "http", "input", "output", "errors", "authtype"]
SHAPE = ["type", "members", "required", "member", "key", "value", "min", "max", "pattern", "enum", "timestampFormat",
         "error", "exception"]
MEMBER = ["shape", "location", "locationName", "timestampFormat"]


def trim(service):
    model = botocore.loaders.Loader().load_service_model(service, "service-2")
    shapes = {}

    def keep(name):
        if name in shapes:
            return
        shape = model["shapes"][name]
        shapes[name] = {k: shape[k] for k in SHAPE if k in shape}
        if "members" in shape:
            shapes[name]["members"] = {m: {k: v[k] for k in MEMBER if k in v} for m, v in shape["members"].items()}
            for member in shape["members"].values():
                keep(member["shape"])
        for part in ("member", "key", "value"):
            if part in shape:
                shapes[name][part] = {"shape": shape[part]["shape"]}
                keep(shape[part]["shape"])

    operations = {}
    for name in SERVED[service]:
        op = model["operations"][name]
        operations[name] = {k: op[k] for k in OPERATION if k in op}
        for ref in [op.get("input"), op.get("output")] + op.get("errors", []):
            if ref:
                keep(ref["shape"])
    metadata = {k: model["metadata"][k] for k in METADATA if k in model["metadata"]}
    return {"metadata": metadata, "operations": operations, "shapes": dict(sorted(shapes.items()))}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "dev", "tally", "aws",
                       "models")
    for service in (sys.argv[1:] or SERVED):
        with open(os.path.join(out, service + ".json"), "w") as f:
            json.dump(trim(service), f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
