"""Cognito Identity and Cognito Sync through unmodified boto3: every operation, their declared errors, the
identity-credential boundary, paginators, and reads across the two front doors."""
import datetime
import json
import os
import uuid

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
import urllib3
from botocore.exceptions import ClientError

from conftest import aws_client, every_page
from tally_grpc import Tally

HTTP = urllib3.PoolManager()


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["ResponseMetadata"]["HTTPStatusCode"], caught.value.response["Error"]["Code"]


def admin():
    return Tally(os.environ["TALLY_GRPC_TARGET"], os.environ["TALLY_ADMIN_TOKEN"])


def write(cognito_sync, pool, identity, dataset, patches):
    session = cognito_sync.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset)["SyncSessionToken"]
    return cognito_sync.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset, SyncSessionToken=session,
                                       RecordPatches=patches)["Records"]


def test_every_operation_of_both_services(cognito_identity, cognito_sync, pool):
    described = cognito_identity.describe_identity_pool(IdentityPoolId=pool)
    assert described["IdentityPoolName"].startswith("pool ") and described["AllowUnauthenticatedIdentities"] is False
    listed = [p["IdentityPoolId"] for page in cognito_identity.get_paginator("list_identity_pools").paginate(MaxResults=1)
              for p in page["IdentityPools"]]
    assert pool in listed and len(listed) == len(set(listed))

    identities = [cognito_identity.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(3)]
    assert len(set(identities)) == 3 and all(i.startswith("us-east-1:") for i in identities)
    first_page = cognito_identity.list_identities(IdentityPoolId=pool, MaxResults=2)
    assert len(first_page["Identities"]) == 2 and first_page["IdentityPoolId"] == pool and "NextToken" in first_page
    rest = cognito_identity.list_identities(IdentityPoolId=pool, MaxResults=2, NextToken=first_page["NextToken"])
    assert "NextToken" not in rest
    assert sorted(i["IdentityId"] for i in first_page["Identities"] + rest["Identities"]) == sorted(identities)
    me = identities[0]
    description = cognito_identity.describe_identity(IdentityId=me)
    assert isinstance(description["CreationDate"], datetime.datetime)
    assert description["LastModifiedDate"] == description["CreationDate"]

    empty = cognito_sync.list_records(IdentityPoolId=pool, IdentityId=me, DatasetName="prefs")
    assert empty["DatasetExists"] is False and empty["Records"] == [] and empty["SyncSessionToken"]
    stored = cognito_sync.update_records(IdentityPoolId=pool, IdentityId=me, DatasetName="prefs", SyncSessionToken=empty["SyncSessionToken"],
                                         DeviceId="phone-1", RecordPatches=[
            {"Op": "replace", "Key": "theme", "Value": "dark", "SyncCount": 0, "DeviceLastModifiedDate": datetime.datetime(2026, 1, 2, 3, 4, 5)},
            {"Op": "replace", "Key": "lang", "Value": "fr", "SyncCount": 0}])["Records"]
    assert sorted((r["Key"], r["SyncCount"], r["LastModifiedBy"]) for r in stored) == [("lang", 1, "phone-1"), ("theme", 1, "phone-1")]
    assert next(r for r in stored if r["Key"] == "theme")["DeviceLastModifiedDate"].replace(tzinfo=None) == datetime.datetime(2026, 1, 2, 3, 4, 5)
    paged = every_page(cognito_sync.list_records, "Records", IdentityPoolId=pool, IdentityId=me, DatasetName="prefs", MaxResults=1)
    assert [r["Key"] for r in paged] == ["lang", "theme"]

    usage = cognito_sync.describe_identity_usage(IdentityPoolId=pool, IdentityId=me)["IdentityUsage"]
    assert (usage["DatasetCount"], usage["DataStorage"], usage["IdentityPoolId"]) == (1, len("themedarklangfr"), pool)
    pool_usage = cognito_sync.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]
    # One session for the write, and one per page read without a session token.
    assert (pool_usage["DataStorage"], pool_usage["SyncSessionsCount"]) == (len("themedarklangfr"), 3)
    every_pool = every_page(cognito_sync.list_identity_pool_usage, "IdentityPoolUsages", MaxResults=1)
    assert [u["DataStorage"] for u in every_pool if u["IdentityPoolId"] == pool] == [len("themedarklangfr")]
    first = cognito_sync.list_identity_pool_usage(MaxResults=1)
    assert (first["Count"], first["MaxResults"]) == (1, 1)

    datasets = cognito_sync.list_datasets(IdentityPoolId=pool, IdentityId=me)
    assert [d["DatasetName"] for d in datasets["Datasets"]] == ["prefs"] and datasets["Count"] == 1
    dataset = cognito_sync.describe_dataset(IdentityPoolId=pool, IdentityId=me, DatasetName="prefs")["Dataset"]
    assert (dataset["NumRecords"], dataset["DataStorage"], dataset["LastModifiedBy"]) == (2, 15, "phone-1")
    assert cognito_sync.delete_dataset(IdentityPoolId=pool, IdentityId=me, DatasetName="prefs")["Dataset"]["NumRecords"] == 2
    assert error_of(cognito_sync.describe_dataset, IdentityPoolId=pool, IdentityId=me, DatasetName="prefs") == (404, "ResourceNotFoundException")
    assert cognito_sync.describe_identity_usage(IdentityPoolId=pool, IdentityId=me)["IdentityUsage"]["DataStorage"] == 0

    write(cognito_sync, pool, identities[1], "notes", [{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}])
    cognito_identity.delete_identity_pool(IdentityPoolId=pool)
    assert error_of(cognito_identity.describe_identity_pool, IdentityPoolId=pool) == (400, "ResourceNotFoundException")
    assert error_of(cognito_identity.describe_identity, IdentityId=identities[1]) == (400, "ResourceNotFoundException")
    assert error_of(cognito_sync.describe_identity_pool_usage, IdentityPoolId=pool) == (404, "ResourceNotFoundException")
    assert error_of(cognito_sync.describe_identity_usage, IdentityPoolId=pool, IdentityId=identities[1]) == (404, "ResourceNotFoundException")
    assert pool not in [u["IdentityPoolId"] for u in every_page(cognito_sync.list_identity_pool_usage, "IdentityPoolUsages")]


def test_declared_errors(cognito_identity, cognito_sync, pool):
    ci, cs = cognito_identity, cognito_sync
    unknown_pool = "us-east-1:00000000-0000-0000-0000-000000000000"
    assert error_of(ci.create_identity_pool, IdentityPoolName="no/slashes", AllowUnauthenticatedIdentities=False) == (400, "InvalidParameterException")
    assert error_of(ci.create_identity_pool, IdentityPoolName="open", AllowUnauthenticatedIdentities=True) == (400, "InvalidParameterException")
    assert error_of(ci.create_identity_pool, IdentityPoolName="federated", AllowUnauthenticatedIdentities=False,
                    SupportedLoginProviders={"graph.facebook.com": "123"}) == (400, "InvalidParameterException")
    assert error_of(ci.describe_identity_pool, IdentityPoolId=unknown_pool) == (400, "ResourceNotFoundException")
    assert error_of(ci.describe_identity_pool, IdentityPoolId="not-an-id") == (400, "InvalidParameterException")
    assert error_of(ci.delete_identity_pool, IdentityPoolId=unknown_pool) == (400, "ResourceNotFoundException")
    assert error_of(ci.get_id, IdentityPoolId=unknown_pool) == (400, "ResourceNotFoundException")
    assert error_of(ci.get_id, IdentityPoolId=pool, Logins={"accounts.google.com": "token"}) == (400, "InvalidParameterException")
    assert error_of(ci.list_identities, IdentityPoolId=unknown_pool, MaxResults=5) == (400, "ResourceNotFoundException")
    assert error_of(ci.list_identity_pools, MaxResults=61) == (400, "InvalidParameterException")
    assert error_of(ci.describe_identity, IdentityId="us-east-1:00000000-0000-0000-0000-000000000001") == (400, "ResourceNotFoundException")

    me = ci.get_id(IdentityPoolId=pool)["IdentityId"]
    assert error_of(cs.describe_identity_pool_usage, IdentityPoolId=unknown_pool) == (404, "ResourceNotFoundException")
    assert error_of(cs.describe_identity_usage, IdentityPoolId=pool, IdentityId="us-east-1:00000000-0000-0000-0000-000000000001") == (404, "ResourceNotFoundException")
    assert error_of(cs.list_datasets, IdentityPoolId=unknown_pool, IdentityId=me) == (400, "InvalidParameterException")
    assert error_of(cs.delete_dataset, IdentityPoolId=pool, IdentityId=me, DatasetName="never") == (404, "ResourceNotFoundException")
    assert error_of(cs.list_records, IdentityPoolId=pool, IdentityId=me, DatasetName="d", SyncSessionToken="forged") == (400, "InvalidParameterException")
    assert error_of(cs.list_identity_pool_usage, MaxResults=61) == (400, "InvalidParameterException")
    write(cs, pool, me, "d", [{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}])
    session = cs.list_records(IdentityPoolId=pool, IdentityId=me, DatasetName="d")["SyncSessionToken"]
    stale = [{"Op": "replace", "Key": "k", "Value": "w", "SyncCount": 0}]
    assert error_of(cs.update_records, IdentityPoolId=pool, IdentityId=me, DatasetName="d", SyncSessionToken=session,
                    RecordPatches=stale) == (409, "ResourceConflictException")
    too_big = [{"Op": "replace", "Key": "big%d" % i, "Value": "v" * 1_000_000, "SyncCount": 0} for i in range(2)]
    assert error_of(cs.update_records, IdentityPoolId=pool, IdentityId=me, DatasetName="d", SyncSessionToken=session,
                    RecordPatches=too_big) == (400, "LimitExceededException")
    assert error_of(cs.update_records, IdentityPoolId=pool, IdentityId=me, DatasetName="other", SyncSessionToken=session,
                    RecordPatches=stale) == (400, "InvalidParameterException")
    # Nothing refused changed anything.
    assert cs.describe_dataset(IdentityPoolId=pool, IdentityId=me, DatasetName="d")["Dataset"]["DataStorage"] == 2


def test_identity_credentials_reach_their_own_identity_and_nothing_else(endpoint, credentials, cognito_identity, pool):
    me = cognito_identity.get_id(IdentityPoolId=pool)["IdentityId"]
    neighbour = cognito_identity.get_id(IdentityPoolId=pool)["IdentityId"]
    other_pool = cognito_identity.create_identity_pool(IdentityPoolName="other " + uuid.uuid4().hex[:6],
                                                       AllowUnauthenticatedIdentities=False)["IdentityPoolId"]
    stranger = cognito_identity.get_id(IdentityPoolId=other_pool)["IdentityId"]
    token, (key_id, secret, session_token) = admin().issue_identity_token(pool, me)
    assert key_id.startswith("ASIA") and len(secret) == 40 and session_token == token
    device = lambda service: aws_client(service, endpoint, (key_id, secret), session_token)
    sync = device("cognito-sync")

    stored = write(sync, pool, me, "prefs", [{"Op": "replace", "Key": "theme", "Value": "dark", "SyncCount": 0}])
    assert stored[0]["SyncCount"] == 1
    assert sync.describe_identity_usage(IdentityPoolId=pool, IdentityId=me)["IdentityUsage"]["DatasetCount"] == 1
    assert [d["DatasetName"] for d in sync.list_datasets(IdentityPoolId=pool, IdentityId=me)["Datasets"]] == ["prefs"]
    assert sync.describe_dataset(IdentityPoolId=pool, IdentityId=me, DatasetName="prefs")["Dataset"]["NumRecords"] == 1
    assert sync.delete_dataset(IdentityPoolId=pool, IdentityId=me, DatasetName="prefs")["Dataset"]["DatasetName"] == "prefs"

    for identity_pool, identity in ((pool, neighbour), (other_pool, stranger)):
        assert error_of(sync.describe_identity_usage, IdentityPoolId=identity_pool, IdentityId=identity) == (403, "NotAuthorizedException")
        assert error_of(sync.list_records, IdentityPoolId=identity_pool, IdentityId=identity, DatasetName="prefs") == (403, "NotAuthorizedException")
        assert error_of(sync.list_datasets, IdentityPoolId=identity_pool, IdentityId=identity) == (403, "NotAuthorizedException")
    assert error_of(sync.describe_identity_pool_usage, IdentityPoolId=pool) == (403, "NotAuthorizedException")
    assert error_of(sync.list_identity_pool_usage) == (403, "NotAuthorizedException")
    assert error_of(device("cognito-identity").describe_identity_pool, IdentityPoolId=pool) == (403, "NotAuthorizedException")
    assert error_of(device("license-manager").list_licenses) == (403, "AccessDeniedException")
    assert error_of(device("apigateway").get_usage_plans) == (403, "UnauthorizedException")

    without_token = aws_client("cognito-sync", endpoint, (key_id, secret))
    assert error_of(without_token.describe_identity_usage, IdentityPoolId=pool, IdentityId=me) == (403, "UnrecognizedClientException")
    other_token, _ = admin().issue_identity_token(pool, neighbour)
    wrong_token = aws_client("cognito-sync", endpoint, (key_id, secret), other_token)
    assert error_of(wrong_token.describe_identity_usage, IdentityPoolId=pool, IdentityId=me) == (403, "UnrecognizedClientException")
    cognito_identity.delete_identity_pool(IdentityPoolId=other_pool)


def test_each_front_door_reads_what_the_other_wrote(cognito_identity, cognito_sync):
    grpc = admin()
    pool = grpc.create_identity_pool("cross door " + uuid.uuid4().hex[:6])
    identity = grpc.create_identity(pool)
    assert cognito_identity.describe_identity_pool(IdentityPoolId=pool)["IdentityPoolName"].startswith("cross door")
    assert [i["IdentityId"] for i in cognito_identity.list_identities(IdentityPoolId=pool, MaxResults=10)["Identities"]] == [identity]

    write(cognito_sync, pool, identity, "d", [{"Op": "replace", "Key": "ab", "Value": "cd", "SyncCount": 0}])
    assert grpc.describe_identity_usage(pool, identity) == (1, 4)
    cognito_identity.delete_identity_pool(IdentityPoolId=pool)


def signed(endpoint, credentials, method, path, body=b"", headers=None):
    request = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body, headers=headers or {})
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(*credentials), "cognito-sync", "us-east-1").add_auth(request)
    prepared = request.prepare()
    response = HTTP.request(method, prepared.url, body=prepared.body, headers=dict(prepared.headers), retries=False)
    return response.status, response.headers.get("x-amzn-ErrorType"), json.loads(response.data) if response.data else None


def test_path_labels_are_percent_decoded_and_tricks_are_refused(endpoint, credentials, cognito_identity, cognito_sync, pool):
    me = cognito_identity.get_id(IdentityPoolId=pool)["IdentityId"]
    write(cognito_sync, pool, me, "a.b:c-d_e", [{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}])
    encoded_pool, encoded_me = pool.replace(":", "%3A"), me.replace(":", "%3A")
    status, _, body = signed(endpoint, credentials, "GET", "/identitypools/%s/identities/%s/datasets/a.b%%3Ac-d_e" % (encoded_pool, encoded_me))
    assert status == 200 and body["Dataset"]["DatasetName"] == "a.b:c-d_e"
    for trick in ["a%2Fb", "a%00b", "%E9t%E9", "a%20b", "a%252Fb"]:
        status, error, body = signed(endpoint, credentials, "GET", "/identitypools/%s/identities/%s/datasets/%s" % (encoded_pool, encoded_me, trick))
        assert (status, error) == (400, "InvalidParameterException"), (trick, status, error, body)
        assert "Exception" not in (body or {}).get("message", "") and len(body["message"]) < 400
    status, error, _ = signed(endpoint, credentials, "GET", "/identitypools/%s/identities/%s%%2Fdatasets" % (encoded_pool, encoded_me))
    assert (status, error) == (400, "InvalidParameterException")
    status, error, _ = signed(endpoint, credentials, "POST", "/identitypools/%s/identities/%s/datasets/d" % (encoded_pool, encoded_me),
                              body=b'{"SyncSessionToken": 5, "RecordPatches": "no"}', headers={"Content-Type": "application/json"})
    assert (status, error) == (400, "InvalidParameterException")
    status, error, _ = signed(endpoint, credentials, "POST", "/identitypools/%s/identities/%s/datasets/d" % (encoded_pool, encoded_me),
                              body=b'{"SyncSessionToken": ', headers={"Content-Type": "application/json"})
    assert (status, error) == (400, "InvalidParameterException")
    assert cognito_sync.describe_identity_usage(IdentityPoolId=pool, IdentityId=me)["IdentityUsage"]["DatasetCount"] == 1
