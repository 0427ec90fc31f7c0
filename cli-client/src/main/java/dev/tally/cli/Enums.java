package dev.tally.cli;

import com.google.protobuf.ProtocolMessageEnum;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Reads a proto enum from a short, case-insensitive word (e.g. "weekly" for RENEW_TYPE_WEEKLY); a bad word is a usage error. */
final class Enums {

    private Enums() {
    }

    static <E extends Enum<E> & ProtocolMessageEnum> E parse(CommandSpec spec, Class<E> type, String prefix, String option, String word) {
        String name = prefix + word.toUpperCase(Locale.ROOT).replace('-', '_').replace('/', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name) && !name.endsWith("UNSPECIFIED")) {
                return value;
            }
        }
        String allowed = String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(Enum::name).filter(n -> n.startsWith(prefix) && !n.endsWith("UNSPECIFIED"))
                .map(n -> n.substring(prefix.length())).toList());
        throw new ParameterException(spec.commandLine(), option + " '" + word + "' is not one of: " + allowed);
    }
}
