package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Terminal columns, not chars: tables line up with CJK and emoji, and long values are cut, not dumped. */
class DisplayWidthTest {

    @Test
    void wideCharactersTakeTwoColumns_marksNone_asciiOne() {
        assertThat(DisplayWidth.of("abc")).isEqualTo(3);
        assertThat(DisplayWidth.of("東京")).isEqualTo(4);
        assertThat(DisplayWidth.of("한국어")).isEqualTo(6);
        assertThat(DisplayWidth.of("😀")).isEqualTo(2);
        assertThat(DisplayWidth.of("e\u0301")).isEqualTo(1);
        assertThat(DisplayWidth.of("ｱ")).isEqualTo(1); // half-width katakana is narrow
    }

    @Test
    void aLongValue_isCutToTheCell_withAnEllipsis_neverSplittingAWideCharacter() {
        assertThat(DisplayWidth.cell("x".repeat(120_000), 10)).isEqualTo("x".repeat(9) + "…");
        assertThat(DisplayWidth.cell("東京東京東京", 6)).isEqualTo("東京…");
        assertThat(DisplayWidth.of(DisplayWidth.cell("東京東京東京", 6))).isLessThanOrEqualTo(6);
        assertThat(DisplayWidth.cell("short", 10)).isEqualTo("short");
        assertThat(DisplayWidth.cell("a\u001b[2Jb", 10)).isEqualTo("a?[2Jb");
    }

    @Test
    void aTable_linesUpByColumns() {
        java.io.StringWriter text = new java.io.StringWriter();
        new Output(new java.io.PrintWriter(text), TallyCli.OutputFormat.table).print(com.google.protobuf.Empty.getDefaultInstance(),
                java.util.List.of("NAME", "BYTES"), java.util.List.of(java.util.List.of("東京", "1"), java.util.List.of("abcde", "22")));
        assertThat(text.toString().lines().toList()).containsExactly("NAME   BYTES", "東京   1", "abcde  22");
    }
}
