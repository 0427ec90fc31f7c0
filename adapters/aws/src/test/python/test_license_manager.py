"""License Manager through unmodified boto3: every operation, their declared errors, paginators, raw bad
input, and reads across the two front doors."""
import json
import os
import uuid

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
import urllib3
from botocore.exceptions import ClientError

from conftest import every_page
from tally_grpc import Tally

HTTP = urllib3.PoolManager()


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["ResponseMetadata"]["HTTPStatusCode"], caught.value.response["Error"]["Code"]


def create(lm, sku=None, max_count=10, overage=False, renew="None", **extra):
    request = dict(LicenseName="Office", ProductName="Office Suite", ProductSKU=sku or "SKU-" + uuid.uuid4().hex[:8],
                   Issuer={"Name": "Acme Corp"}, HomeRegion="us-east-1", Validity={"Begin": "2026-01-01T00:00:00Z"},
                   Entitlements=[{"Name": "Seats", "Unit": "Count", "MaxCount": max_count, "Overage": overage, "AllowCheckIn": True},
                                 {"Name": "Tier", "Unit": "None", "Value": "gold"}],
                   Beneficiary="customer-1", ConsumptionConfiguration={"RenewType": renew, "ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": 30}},
                   ClientToken=uuid.uuid4().hex)
    request.update(extra)
    return lm.create_license(**request)


def checkout(lm, license, seats="1", kind="PROVISIONAL", **extra):
    return lm.checkout_license(ProductSKU=license["ProductSKU"], KeyFingerprint=license["Issuer"]["KeyFingerprint"], CheckoutType=kind,
                               Entitlements=[{"Name": "Seats", "Value": seats, "Unit": "Count"}], ClientToken=uuid.uuid4().hex, **extra)


def usage(lm, arn):
    return {u["Name"]: (u["ConsumedValue"], u.get("MaxCount")) for u in lm.get_license_usage(LicenseArn=arn)["LicenseUsage"]["EntitlementUsages"]}


def test_every_operation(license_manager):
    lm = license_manager
    created = create(lm)
    assert (created["Status"], created["Version"]) == ("AVAILABLE", "1")
    arn = created["LicenseArn"]
    assert arn.startswith("arn:aws:license-manager::") and ":license:l-" in arn
    license = lm.get_license(LicenseArn=arn)["License"]
    assert license["Issuer"] == {"Name": "Acme Corp", "KeyFingerprint": license["Issuer"]["KeyFingerprint"]}
    assert license["Issuer"]["KeyFingerprint"].endswith(":Acme Corp:issuer-fingerprint")
    assert license["Validity"] == {"Begin": "2026-01-01T00:00:00Z"}
    assert isinstance(license["CreateTime"], str) and license["CreateTime"].endswith("Z")
    assert license["Entitlements"][1] == {"Name": "Tier", "Value": "gold", "Overage": False, "Unit": "None", "AllowCheckIn": False}
    assert license["ConsumptionConfiguration"] == {"RenewType": "None", "ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": 30}}

    floating = checkout(lm, license, "3", NodeId="node-7")
    assert (floating["CheckoutType"], floating["LicenseArn"], floating["NodeId"]) == ("PROVISIONAL", arn, "node-7")
    assert floating["EntitlementsAllowed"] == [{"Name": "Seats", "Value": "3", "Unit": "Count"}]
    assert floating["IssuedAt"] < floating["Expiration"]
    drawdown = checkout(lm, license, "2", "PERPETUAL")
    assert "Expiration" not in drawdown
    assert usage(lm, arn) == {"Seats": ("5", "10"), "Tier": ("0", None)}

    extended = lm.extend_license_consumption(LicenseConsumptionToken=floating["LicenseConsumptionToken"])
    assert extended["LicenseConsumptionToken"] == floating["LicenseConsumptionToken"] and extended["Expiration"] >= floating["Expiration"]
    lm.check_in_license(LicenseConsumptionToken=floating["LicenseConsumptionToken"])
    assert usage(lm, arn)["Seats"] == ("2", "10")

    others = [create(lm)["LicenseArn"] for _ in range(2)]
    listed = [l["LicenseArn"] for l in every_page(lm.list_licenses, "Licenses", MaxResults=1)]
    assert {arn, *others} <= set(listed) and len(listed) == len(set(listed))
    assert [l["LicenseArn"] for l in lm.list_licenses(LicenseArns=[others[0], arn.replace("l-", "l-0")])["Licenses"]] == [others[0]]

    deleted = lm.delete_license(LicenseArn=arn, SourceVersion=license["Version"])
    assert deleted["Status"] == "DELETED" and deleted["DeletionDate"].endswith("Z")
    assert lm.get_license(LicenseArn=arn)["License"]["Status"] == "DELETED"
    assert error_of(checkout, lm, license) == (400, "ValidationException")


def test_declared_errors(license_manager):
    lm = license_manager
    assert error_of(create, lm, HomeRegion="mars") == (400, "ValidationException")
    assert error_of(create, lm, Validity={"Begin": "yesterday"}) == (400, "ValidationException")
    assert error_of(create, lm, Entitlements=[{"Name": "Seats", "Unit": "Count"}]) == (400, "ValidationException")
    license = lm.get_license(LicenseArn=create(lm, max_count=2)["LicenseArn"])["License"]
    arn = license["LicenseArn"]
    assert error_of(lm.checkout_license, ProductSKU="no-such-sku", KeyFingerprint=license["Issuer"]["KeyFingerprint"], CheckoutType="PROVISIONAL",
                    Entitlements=[{"Name": "Seats", "Value": "1", "Unit": "Count"}], ClientToken="t") == (400, "ResourceNotFoundException")
    assert error_of(checkout, lm, license, "3") == (400, "NoEntitlementsAllowedException")
    assert error_of(lm.checkout_license, ProductSKU=license["ProductSKU"], KeyFingerprint=license["Issuer"]["KeyFingerprint"],
                    CheckoutType="PROVISIONAL", Entitlements=[{"Name": "Seats", "Value": "1", "Unit": "Bytes"}],
                    ClientToken="u") == (400, "ValidationException")
    perpetual = checkout(lm, license, "1", "PERPETUAL")
    assert error_of(lm.check_in_license, LicenseConsumptionToken=perpetual["LicenseConsumptionToken"]) == (400, "ConflictException")
    assert error_of(lm.check_in_license, LicenseConsumptionToken="0" * 32) == (400, "ResourceNotFoundException")
    assert error_of(lm.extend_license_consumption, LicenseConsumptionToken="0" * 32) == (400, "ResourceNotFoundException")
    unknown = arn[:-4] + "0000"
    assert error_of(lm.get_license_usage, LicenseArn=unknown) == (400, "InvalidParameterValueException")
    assert error_of(lm.get_license, LicenseArn="not-an-arn") == (400, "ValidationException")
    assert error_of(lm.delete_license, LicenseArn=arn, SourceVersion="99") == (400, "ConflictException")
    # Nothing refused changed anything.
    assert usage(lm, arn)["Seats"] == ("1", "2")
    assert lm.get_license(LicenseArn=arn)["License"]["Status"] == "AVAILABLE"


def test_each_front_door_reads_what_the_other_wrote(license_manager):
    grpc = Tally(os.environ["TALLY_GRPC_TARGET"], os.environ["TALLY_ADMIN_TOKEN"])
    license = license_manager.get_license(LicenseArn=create(license_manager)["LicenseArn"])["License"]
    checkout(license_manager, license, "4")
    assert grpc.get_license_usage(license["LicenseArn"])["Seats"] == "4"
    grpc.checkout_license(license["LicenseArn"], "Seats", 3, uuid.uuid4().hex)
    assert usage(license_manager, license["LicenseArn"])["Seats"] == ("7", "10")


def raw(endpoint, credentials, target, body, content_type="application/x-amz-json-1.1"):
    request = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body,
                                             headers={"X-Amz-Target": target, "Content-Type": content_type})
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(*credentials), "license-manager", "us-east-1").add_auth(request)
    prepared = request.prepare()
    response = HTTP.request("POST", prepared.url, body=prepared.body, headers=dict(prepared.headers), retries=False)
    return response.status, json.loads(response.data)


@pytest.mark.parametrize("target, body, expected", [
    ("AWSLicenseManager.GetLicenseUsage", b'{"LicenseArn": ', (400, "SerializationException")),
    ("AWSLicenseManager.GetLicenseUsage", b'["LicenseArn"]', (400, "SerializationException")),
    ("AWSLicenseManager.GetLicenseUsage", b'{"LicenseArn": 12}', (400, "ValidationException")),
    ("AWSLicenseManager.GetLicenseUsage", b'{}', (400, "ValidationException")),
    ("AWSLicenseManager.CreateLicense", b'{"Entitlements": "all"}', (400, "ValidationException")),
    ("AWSLicenseManager.CheckoutLicense", b'{"CheckoutType": "FOREVER"}', (400, "ValidationException")),
    ("AWSLicenseManager.DeleteEverything", b'{}', (400, "UnknownOperationException")),
    ("AWSCognitoIdentityService.GetId", b'{"IdentityPoolId": {"$ne": 1}}', (400, "InvalidParameterException")),
    ("AWSCognitoIdentityService.ListIdentityPools", b'{"MaxResults": 1e400}', (400, "InvalidParameterException")),
])
def test_bad_json_input_gets_the_declared_error(endpoint, credentials, target, body, expected):
    status, reply = raw(endpoint, credentials, target, body)
    assert (status, reply["__type"]) == expected, reply
    assert reply["message"] and "dev.tally" not in reply["message"] and len(reply["message"]) < 600


def test_an_oversized_body_is_refused_without_a_5xx(endpoint, credentials):
    status, reply = raw(endpoint, credentials, "AWSLicenseManager.CreateLicense",
                        b'{"LicenseName": "' + b"x" * (5 * 1024 * 1024) + b'"}')
    assert 400 <= status < 500, reply
