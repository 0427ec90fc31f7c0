"""API Gateway's usage plan operations through unmodified boto3 (and raw signed HTTP for what an SDK
would never send)."""
import datetime
import json
import os
import sys
import uuid
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import boto3
import pytest
import urllib3
from botocore.exceptions import ClientError

from tally_grpc import Tally

TODAY = datetime.datetime.utcnow().date().isoformat()
HTTP = urllib3.PoolManager()


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["ResponseMetadata"]["HTTPStatusCode"], caught.value.response["Error"]["Code"]


def signed(endpoint, credentials, method, path, body=b"", headers=None, when=None):
    """Sends a request signed as botocore signs, optionally at another moment; returns (status, headers, json)."""
    request = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body, headers=headers or {})
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(*credentials), "apigateway", "us-east-1")
    if when is None:
        signer.add_auth(request)
    else:
        with mock.patch("botocore.auth.datetime") as clock:
            clock.datetime.utcnow.return_value = when
            signer.add_auth(request)
    prepared = request.prepare()
    response = HTTP.request(method, prepared.url, body=prepared.body, headers=dict(prepared.headers), retries=False)
    return response.status, response.headers, json.loads(response.data) if response.data else None


# ---- the models ------------------------------------------------------------------------------------

def test_shipped_models_are_botocores():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools"))
    import trim_models
    models = os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "tally", "aws", "models")
    for service in trim_models.SERVED:
        with open(os.path.join(models, service + ".json")) as f:
            assert json.load(f) == json.loads(json.dumps(trim_models.trim(service))), service + " differs from botocore's model"


# ---- every operation -------------------------------------------------------------------------------

def test_every_operation(apigw):
    plan = apigw.create_usage_plan(name="gold", description="for tests", quota={"limit": 1000, "offset": 0, "period": "WEEK"},
                                   throttle={"burstLimit": 20, "rateLimit": 10.5})
    assert plan["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert plan["quota"] == {"limit": 1000, "offset": 0, "period": "WEEK"}
    assert plan["throttle"] == {"burstLimit": 20, "rateLimit": 10.5}
    assert apigw.get_usage_plan(usagePlanId=plan["id"])["name"] == "gold"

    value = "v" * 30
    key = apigw.create_api_key(name="ios app", description="phones", enabled=True, value=value)
    assert key["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert key["value"] == value and key["enabled"] is True
    assert isinstance(key["createdDate"], datetime.datetime)
    assert apigw.get_api_key(apiKey=key["id"], includeValue=True)["value"] == value
    assert "value" not in apigw.get_api_key(apiKey=key["id"])
    assert [k["id"] for k in apigw.get_api_keys(nameQuery="ios ")["items"]] == [key["id"]]

    assert apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")["ResponseMetadata"][
        "HTTPStatusCode"] == 201
    assert apigw.get_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"])["type"] == "API_KEY"
    assert [k["id"] for k in apigw.get_usage_plan_keys(usagePlanId=plan["id"], nameQuery="ios")["items"]] == [key["id"]]
    assert [p["id"] for p in apigw.get_usage_plans(keyId=key["id"])["items"]] == [plan["id"]]

    updated = apigw.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
        {"op": "replace", "path": "/quota/limit", "value": "500"},
        {"op": "replace", "path": "/quota/period", "value": "DAY"},
        {"op": "replace", "path": "/throttle/rateLimit", "value": "2.5"},
        {"op": "replace", "path": "/description", "value": "changed"}])
    assert updated["quota"]["limit"] == 500 and updated["quota"]["period"] == "DAY"
    assert updated["throttle"]["rateLimit"] == 2.5 and updated["description"] == "changed"
    assert "throttle" not in apigw.update_usage_plan(usagePlanId=plan["id"], patchOperations=[{"op": "remove", "path": "/throttle"}])

    renamed = apigw.update_api_key(apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/name", "value": "android"},
                                                                       {"op": "replace", "path": "/enabled", "value": "false"}])
    assert renamed["name"] == "android" and renamed["enabled"] is False

    usage = apigw.update_usage(usagePlanId=plan["id"], keyId=key["id"],
                               patchOperations=[{"op": "replace", "path": "/remaining", "value": "40"}])
    assert usage["items"] == {key["id"]: [[0, 40]]}
    usage = apigw.get_usage(usagePlanId=plan["id"], startDate=TODAY, endDate=TODAY)
    assert usage["items"] == {key["id"]: [[0, 40]]}
    assert usage["startDate"] == TODAY and usage["usagePlanId"] == plan["id"]

    assert apigw.delete_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert apigw.delete_api_key(apiKey=key["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert apigw.delete_usage_plan(usagePlanId=plan["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert error_of(apigw.get_usage_plan, usagePlanId=plan["id"]) == (404, "NotFoundException")


def test_paginators_walk_every_page(apigw, plan):
    prefix = "page-" + uuid.uuid4().hex[:6]
    keys = [apigw.create_api_key(name=prefix + "-%d" % i, enabled=True)["id"] for i in range(7)]
    for key in keys:
        apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key, keyType="API_KEY")
    pages = list(apigw.get_paginator("get_api_keys").paginate(nameQuery=prefix, PaginationConfig={"PageSize": 3}))
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert sorted(k["id"] for p in pages for k in p["items"]) == sorted(keys)
    pages = list(apigw.get_paginator("get_usage_plan_keys").paginate(usagePlanId=plan["id"], PaginationConfig={"PageSize": 2}))
    assert sum(len(p["items"]) for p in pages) == 7 and len(pages) == 4
    pages = list(apigw.get_paginator("get_usage").paginate(usagePlanId=plan["id"], startDate=TODAY, endDate=TODAY,
                                                           PaginationConfig={"PageSize": 4}))
    assert [len(p["items"]) for p in pages] == [4, 3]
    usage = {key: days for page in pages for key, days in page["items"].items()}
    assert sorted(usage) == sorted(keys)
    assert all(days == [[0, 100]] for days in usage.values())
    assert len(list(apigw.get_paginator("get_usage_plans").paginate(PaginationConfig={"PageSize": 1}))) >= 1


# ---- both doors --------------------------------------------------------------------------------------

def test_a_grpc_consume_quota_shows_in_boto3_get_usage(apigw, plan, key):
    tally = Tally(os.environ["TALLY_GRPC_TARGET"], os.environ["TALLY_ADMIN_TOKEN"])
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    assert [tally.consume_quota(plan["id"], key["value"]) for _ in range(3)] == [1, 1, 1]
    assert apigw.get_usage(usagePlanId=plan["id"], keyId=key["id"], startDate=TODAY, endDate=TODAY)["items"] == {key["id"]: [[3, 97]]}


def test_a_boto3_update_usage_shows_in_grpc_get_usage(apigw, plan, key):
    tally = Tally(os.environ["TALLY_GRPC_TARGET"], os.environ["TALLY_ADMIN_TOKEN"])
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    apigw.update_usage(usagePlanId=plan["id"], keyId=key["id"], patchOperations=[{"op": "replace", "path": "/remaining", "value": "7"}])
    assert tally.get_usage(plan["id"], TODAY, TODAY) == {key["id"]: [(TODAY, 0, 7)]}
    assert tally.consume_quota(plan["id"], key["value"]) == 1
    assert tally.get_usage(plan["id"], TODAY, TODAY) == {key["id"]: [(TODAY, 1, 6)]}


# ---- every error -------------------------------------------------------------------------------------

def test_every_error_code(apigw, plan, key):
    assert error_of(apigw.get_usage_plan, usagePlanId="nope00") == (404, "NotFoundException")
    assert error_of(apigw.get_api_key, apiKey="nope000000") == (404, "NotFoundException")
    assert error_of(apigw.get_usage_plan_key, usagePlanId=plan["id"], keyId=key["id"]) == (404, "NotFoundException")
    assert error_of(apigw.delete_usage_plan_key, usagePlanId=plan["id"], keyId=key["id"]) == (404, "NotFoundException")
    assert error_of(apigw.get_usage, usagePlanId="nope00", startDate=TODAY, endDate=TODAY) == (404, "NotFoundException")
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    assert error_of(apigw.create_usage_plan_key, usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY") == (409, "ConflictException")
    assert error_of(apigw.create_api_key, name="twin", value=key["value"]) == (409, "ConflictException")
    assert error_of(apigw.get_usage, usagePlanId=plan["id"], startDate="2026-13-01", endDate=TODAY) == (400, "BadRequestException")
    assert error_of(apigw.get_usage, usagePlanId=plan["id"], startDate="2026-01-01", endDate="2026-06-01") == (400, "BadRequestException")
    assert error_of(apigw.get_usage, usagePlanId=plan["id"], startDate=TODAY, endDate=TODAY, limit=501) == (400, "BadRequestException")
    assert error_of(apigw.create_usage_plan_key, usagePlanId=plan["id"], keyId=key["id"], keyType="COGNITO") == (400, "BadRequestException")
    assert error_of(apigw.create_usage_plan, name="") == (400, "BadRequestException")
    assert error_of(apigw.create_usage_plan, name="q", quota={"limit": -1, "period": "DAY"}) == (400, "BadRequestException")
    assert error_of(apigw.create_api_key, name="short", value="tooshort") == (400, "BadRequestException")
    for patch in ({"op": "add", "path": "/remaining", "value": "1"}, {"op": "replace", "path": "/used", "value": "1"},
                  {"op": "replace", "path": "/remaining", "value": "-5"}, {"op": "replace", "path": "/remaining", "value": "lots"}):
        assert error_of(apigw.update_usage, usagePlanId=plan["id"], keyId=key["id"], patchOperations=[patch]) == (400, "BadRequestException")
    assert error_of(apigw.update_usage_plan, usagePlanId=plan["id"],
                    patchOperations=[{"op": "replace", "path": "/quota/period", "value": "YEAR"}]) == (400, "BadRequestException")
    assert error_of(apigw.update_usage_plan, usagePlanId=plan["id"],
                    patchOperations=[{"op": "replace", "path": "/throttle/burstLimit", "value": "99999999999"}]) == (400, "BadRequestException")
    assert error_of(apigw.update_usage_plan, usagePlanId=plan["id"],
                    patchOperations=[{"op": "replace", "path": "/throttle/rateLimit", "value": "NaN"}]) == (400, "BadRequestException")
    assert error_of(apigw.update_usage_plan, usagePlanId="nope00",
                    patchOperations=[{"op": "replace", "path": "/name", "value": "x"}]) == (404, "NotFoundException")
    assert apigw.get_usage_plan(usagePlanId=plan["id"])["quota"]["period"] == "DAY", "a refused update changed nothing"


def test_403_for_bad_credentials(endpoint, credentials, apigw):
    wrong = boto3.session.Session(aws_access_key_id=credentials[0], aws_secret_access_key="x" * 40, region_name="us-east-1")
    assert error_of(wrong.client("apigateway", endpoint_url=endpoint).get_usage_plans) == (403, "InvalidSignatureException")
    unknown = boto3.session.Session(aws_access_key_id="AKIA" + "A" * 16, aws_secret_access_key=credentials[1], region_name="us-east-1")
    assert error_of(unknown.client("apigateway", endpoint_url=endpoint).get_usage_plans) == (403, "UnrecognizedClientException")

    response = HTTP.request("GET", endpoint + "/usageplans", retries=False)
    assert response.status == 403 and response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert json.loads(response.data)["message"]

    status, headers, body = signed(endpoint, credentials, "GET", "/usageplans",
                                   when=datetime.datetime.utcnow() - datetime.timedelta(minutes=20))
    assert (status, headers["x-amzn-ErrorType"]) == (403, "InvalidSignatureException")
    assert "expired" in body["message"]
    status, headers, _ = signed(endpoint, credentials, "GET", "/usageplans",
                                when=datetime.datetime.utcnow() - datetime.timedelta(minutes=5))
    assert status == 200, "a clock 5 minutes behind is within AWS's 15"

    response = HTTP.request("GET", endpoint + "/usageplans", headers={
        "Authorization": "AWS4-HMAC-SHA256 Credential=broken", "X-Amz-Date": "20260101T000000Z"}, retries=False)
    assert response.status == 403 and response.headers["x-amzn-ErrorType"] == "InvalidSignatureException"


def test_429_when_a_caller_is_over_its_rate():
    # On a server allowing each caller 3 requests and then 1 every 1000 s; creating the key took one.
    session = boto3.session.Session(aws_access_key_id=os.environ["TALLY_LIMITED_ACCESS_KEY_ID"],
                                    aws_secret_access_key=os.environ["TALLY_LIMITED_SECRET_ACCESS_KEY"], region_name="us-east-1")
    limited = session.client("apigateway", endpoint_url=os.environ["TALLY_LIMITED_AWS_ENDPOINT"],
                             config=boto3.session.Config(retries={"max_attempts": 1}))
    limited.get_usage_plans()
    limited.get_usage_plans()
    with pytest.raises(ClientError) as caught:
        limited.get_usage_plans()
    response = caught.value.response
    assert (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]) == (429, "TooManyRequestsException")
    assert int(response["ResponseMetadata"]["HTTPHeaders"]["retry-after"]) >= 1


# ---- bad input on the wire ---------------------------------------------------------------------------

@pytest.mark.parametrize("body, content_type, status, error", [
    (b"{not json", "application/json", 400, "BadRequestException"),
    (b"[1, 2]", "application/json", 400, "BadRequestException"),
    (b'{"name": 42}', "application/json", 400, "BadRequestException"),
    (b'{"name": "x", "quota": {"limit": "many", "period": "DAY"}}', "application/json", 400, "BadRequestException"),
    (b'{"name": "x", "quota": {"limit": 1.5, "period": "DAY"}}', "application/json", 400, "BadRequestException"),
    (b'{"name": "x", "quota": {"limit": 5, "period": "YEAR"}}', "application/json", 400, "BadRequestException"),
    (b'{"name": "x"}', "text/plain", 415, "BadRequestException"),
    (b'{"name": "x", "nested": ' + b"[" * 200 + b"]" * 200 + b"}", "application/json", 400, "BadRequestException"),
])
def test_bad_bodies_get_an_aws_error_and_change_nothing(endpoint, credentials, apigw, body, content_type, status, error):
    before = len(apigw.get_usage_plans(limit=500)["items"])
    got_status, headers, reply = signed(endpoint, credentials, "POST", "/usageplans", body, {"Content-Type": content_type})
    assert (got_status, headers["x-amzn-ErrorType"]) == (status, error)
    assert reply["message"] and "Exception" not in reply["message"] and "at dev.tally" not in reply["message"]
    assert len(apigw.get_usage_plans(limit=500)["items"]) == before


def test_unknown_members_are_ignored_as_aws_does(endpoint, credentials, apigw):
    status, _, reply = signed(endpoint, credentials, "POST", "/usageplans", b'{"name": "lenient", "futureMember": {"a": 1}}',
                              {"Content-Type": "application/json"})
    assert status == 201 and reply["name"] == "lenient"
    apigw.delete_usage_plan(usagePlanId=reply["id"])


def test_oversized_bodies_unknown_paths_and_targets(endpoint, credentials):
    status, headers, reply = signed(endpoint, credentials, "POST", "/usageplans", b'{"name": "' + b"x" * (9 * 1024 * 1024) + b'"}',
                                    {"Content-Type": "application/json"})
    assert status == 413 and reply["message"]
    status, headers, reply = signed(endpoint, credentials, "GET", "/restapis")
    assert (status, headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")
    status, headers, reply = signed(endpoint, credentials, "POST", "/", b"{}",
                                    {"X-Amz-Target": "AWSCognitoIdentityService.Nope", "Content-Type": "application/x-amz-json-1.1"})
    assert (status, reply["__type"]) == (400, "UnknownOperationException")
    response = HTTP.request("GET", endpoint + "/ping", retries=False)
    assert response.status == 200
