package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void identityPoolId_acceptsRegionColonLowercaseUuid_andGeneratesThatForm() {
        assertThat(new IdentityPoolId("us-east-1:5f0c1c2e-6d0b-4cf1-9d7e-3a7b4a0b9c11").value()).startsWith("us-east-1:");
        assertThat(IdentityPoolId.generate("eu-west-1").value()).matches("eu-west-1:[0-9a-f-]{36}");
        assertThat(IdentityId.generate("us-east-1").value()).matches("us-east-1:[0-9a-f-]{36}");
    }

    @Test
    void identityPoolId_rejectsUppercaseMissingColonAndOverlongValues_naming_theField() {
        assertThatThrownBy(() -> new IdentityPoolId("us-east-1:23EC4050-6AEA"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_PARAMETER);
                    assertThat(e.field()).contains("identity_pool_id");
                })
                .hasMessageContaining("identity_pool_id 'us-east-1:23EC4050-6AEA' is invalid");
        assertThatThrownBy(() -> new IdentityId("no-colon")).hasMessageContaining("identity_id");
        assertThatThrownBy(() -> new IdentityId("")).hasMessageContaining("identity_id is required");
        String fiftyFive = "r:" + "a".repeat(53);
        assertThat(new IdentityId(fiftyFive).value()).hasSize(55);
        assertThatThrownBy(() -> new IdentityId(fiftyFive + "a")).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void usagePlanAndApiKeyIds_areLowercaseAlnumOfFixedLength_withBadRequestReason() {
        assertThat(UsagePlanId.generate().value()).matches("[a-z0-9]{6}");
        assertThat(ApiKeyId.generate().value()).matches("[a-z0-9]{10}");
        assertThat(new UsagePlanId("q2hrol").value()).isEqualTo("q2hrol");
        assertThat(new ApiKeyId("58v93i1885").value()).isEqualTo("58v93i1885");
        assertThatThrownBy(() -> new UsagePlanId("Q2hrol")).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(e.reason()).isEqualTo(ErrorReason.BAD_REQUEST));
        assertThatThrownBy(() -> new UsagePlanId("q2hro")).hasMessageContaining("usage_plan_id");
        assertThatThrownBy(() -> new ApiKeyId("58v93i188")).hasMessageContaining("key_id");
    }

    @Test
    void apiKeyValue_is20To128Alnum_andNeverEchoed() {
        assertThat(ApiKeyValue.generate().value()).matches("[A-Za-z0-9]{40}");
        assertThat(new ApiKeyValue("a".repeat(20)).value()).hasSize(20);
        assertThat(new ApiKeyValue("a".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> new ApiKeyValue("secret" + "a".repeat(13))).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new ApiKeyValue("a".repeat(129))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> new ApiKeyValue("a".repeat(19) + "-")).isInstanceOf(InvalidParameterException.class);
        assertThat(new ApiKeyValue("a".repeat(20)).toString()).doesNotContain("aaaa");
    }

    @Test
    void licenseArn_isGeneratedInTheContractFormat_andValidatedWithTheAwsPattern() {
        LicenseArn arn = LicenseArn.generate("123456789012");
        assertThat(arn.value()).matches("arn:aws:license-manager::123456789012:license:l-[0-9a-f]{32}");
        assertThat(new LicenseArn(arn.value())).isEqualTo(arn);
        assertThatThrownBy(() -> new LicenseArn("not-an-arn")).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(e.reason()).isEqualTo(ErrorReason.VALIDATION)).hasMessageContaining("license_arn");
        assertThatThrownBy(() -> new LicenseArn("arn:aws:license-manager::1:license:" + "a".repeat(2048)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("...");
        assertThatThrownBy(() -> LicenseArn.generate("12345")).isInstanceOf(IllegalArgumentException.class);
    }
}
