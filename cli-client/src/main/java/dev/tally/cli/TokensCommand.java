package dev.tally.cli;

import com.google.protobuf.Duration;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.IssueIdentityTokenResponse;
import dev.tally.proto.v1.RevokeIdentityTokensRequest;
import dev.tally.proto.v1.RevokeIdentityTokensResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tokens", description = "Identity tokens: credentials scoped to one identity.",
        subcommands = {TokensCommand.Issue.class, TokensCommand.Revoke.class})
final class TokensCommand {

    @Command(name = "issue", description = "Issues a token for one identity of one identity pool.")
    static final class Issue extends TallyCommand {
        @Mixin
        IdentityOptions target;

        @Option(names = "--ttl", description = "Lifetime, 1m to 24h: 90s, 15m, 2h or PT1H (default 1h).")
        java.time.Duration ttl;

        @Override
        int run(Session session, Output output) {
            IssueIdentityTokenRequest.Builder request = IssueIdentityTokenRequest.newBuilder()
                    .setIdentityPoolId(target.pool).setIdentityId(target.identity);
            if (ttl != null) {
                request.setTtl(Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()));
            }
            IssueIdentityTokenResponse response = session.stub(AccessServiceGrpc::newBlockingStub).issueIdentityToken(request.build());
            // The session token of the AWS credentials is the token itself: shown once, in its own column.
            output.print(response, List.of("TOKEN", "EXPIRES", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
                    List.of(List.of(response.getToken(), Output.time(response.getExpiration()),
                            response.getAwsCredentials().getAccessKeyId(), response.getAwsCredentials().getSecretAccessKey())));
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revokes every token of one identity; tokens also die with the developer key that issued them.")
    static final class Revoke extends TallyCommand {
        @Mixin
        IdentityOptions target;

        @Override
        int run(Session session, Output output) {
            RevokeIdentityTokensResponse response = session.stub(AccessServiceGrpc::newBlockingStub).revokeIdentityTokens(
                    RevokeIdentityTokensRequest.newBuilder().setIdentityPoolId(target.pool).setIdentityId(target.identity).build());
            output.print(response, List.of("REVOKED"), List.of(List.of(Integer.toString(response.getRevokedCount()))));
            return 0;
        }
    }
}
