package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The hand-written check of Tally's own ARN form agrees with the AWS pattern, which still decides every other form. */
class LicenseArnTest {

    private static final String GENERATED = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef";

    @Test
    void generatedArns_andOtherAwsForms_areAccepted() {
        assertThat(LicenseArn.generate("123456789012").value()).matches("arn:aws:license-manager::\\d{12}:license:l-[0-9a-f]{32}");
        assertThat(new LicenseArn(GENERATED).accountId()).isEqualTo("123456789012");
        // Not Tally's form, yet AWS's: still accepted, by the pattern.
        for (String other : new String[] {GENERATED.replace("l-0", "l-X"), GENERATED + "ff", "arn:aws-cn:license-manager:us-east-1:1:license:l-1",
                GENERATED.replace("::1", "::a")}) {
            assertThat(new LicenseArn(other).value()).isEqualTo(other);
        }
    }

    @Test
    void whatTheAwsPatternRefuses_isRefused() {
        for (String bad : new String[] {"", "arn:aws:", "not-an-arn", GENERATED.replace("arn:aws:", "arn:gcp:"), GENERATED + " ",
                "arn:aws:license-manager::123456789012:license:l-" + "0".repeat(2048)}) {
            assertThatThrownBy(() -> new LicenseArn(bad)).isInstanceOf(InvalidParameterException.class).hasMessageContaining("license_arn");
        }
        assertThatThrownBy(() -> new LicenseArn(null)).isInstanceOf(InvalidParameterException.class);
    }
}
