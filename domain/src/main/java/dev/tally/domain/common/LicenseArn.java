package dev.tally.domain.common;

import java.util.regex.Pattern;

/**
 * A license ARN. Tally generates {@code arn:aws:license-manager::<12 digits>:license:l-<32 hex>} and accepts
 * anything of the AWS ARN pattern up to 2048 characters (an ARN of another form simply names no license).
 */
public record LicenseArn(String value) {

    private static final Pattern AWS_ARN = Pattern.compile(
            "^(?=.{1,2048}$)arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}"
                    + ":[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}$");
    private static final Pattern ACCOUNT = Pattern.compile("^[0-9]{12}$");

    private static final String PREFIX = "arn:aws:license-manager::";
    private static final String RESOURCE = ":license:l-";

    public LicenseArn {
        if (!generatedForm(value)) {
            Ids.require("license_arn", value, AWS_ARN, ErrorReason.VALIDATION,
                    "an ARN such as arn:aws:license-manager::123456789012:license:l-<32 hex>, at most 2048 characters");
        }
    }

    /**
     * Whether {@code value} has exactly the form Tally generates (which the AWS pattern accepts), checked by
     * hand: the pattern's backtracking was a tenth of a GetLicenseUsage call.
     */
    private static boolean generatedForm(String value) {
        int account = PREFIX.length();
        int id = account + 12 + RESOURCE.length();
        if (value == null || value.length() != id + 32 || !value.startsWith(PREFIX) || !value.startsWith(RESOURCE, account + 12)) {
            return false;
        }
        for (int i = account; i < account + 12; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        for (int i = id; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    public static LicenseArn generate(String accountId) {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
        }
        return new LicenseArn(PREFIX + accountId + RESOURCE + Ids.randomHex(32));
    }

    /** The ARN's account field (the fifth), empty if it has none. */
    public String accountId() {
        String[] parts = value.split(":", 6);
        return parts.length > 4 ? parts[4] : "";
    }

    @Override
    public String toString() {
        return value;
    }
}
