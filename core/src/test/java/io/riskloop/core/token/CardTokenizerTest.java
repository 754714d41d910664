package io.riskloop.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CardTokenizerTest {

    private static final String PAN = "4111111111111111";

    private static byte[] key(int length, int seed) {
        byte[] k = new byte[length];
        for (int i = 0; i < length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    @Test
    void givesTheSameTokenForTheSameCardAndKey() {
        CardTokenizer a = new CardTokenizer(key(32, 1));
        CardTokenizer b = new CardTokenizer(key(32, 1));
        assertThat(a.tokenize(PAN)).isEqualTo(a.tokenize(PAN)).isEqualTo(b.tokenize(PAN));
    }

    @Test
    void tokenIsThePrefixedTruncatedHmacSha256OfTheDigits() throws Exception {
        byte[] k = key(32, 7);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k, "HmacSHA256"));
        byte[] full = mac.doFinal(PAN.getBytes(StandardCharsets.US_ASCII));
        String expected = "tok_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));

        assertThat(new CardTokenizer(k).tokenize(PAN)).isEqualTo(expected).startsWith(CardTokenizer.PREFIX);
    }

    @Test
    void givesDifferentTokensUnderDifferentKeys() {
        String underKey1 = new CardTokenizer(key(32, 1)).tokenize(PAN);
        String underKey2 = new CardTokenizer(key(32, 2)).tokenize(PAN);
        assertThat(underKey1).isNotEqualTo(underKey2);
    }

    @Test
    void givesDifferentTokensForDifferentCards() {
        CardTokenizer t = new CardTokenizer(key(32, 1));
        assertThat(t.tokenize("4111111111111111")).isNotEqualTo(t.tokenize("4111111111111112"));
    }

    @Test
    void ignoresSpacesAndDashesInTheNumber() {
        CardTokenizer t = new CardTokenizer(key(32, 1));
        String plain = t.tokenize("4111111111111111");
        assertThat(t.tokenize("4111 1111 1111 1111")).isEqualTo(plain);
        assertThat(t.tokenize("4111-1111-1111-1111")).isEqualTo(plain);
        assertThat(t.tokenize("4111 - 1111-1111 1111")).isEqualTo(plain);
    }

    @Test
    void tokenNeverContainsTheCardNumberAndDoesNotLookLikeOne() {
        String token = new CardTokenizer(key(32, 3)).tokenize(PAN);
        assertThat(token).doesNotContain(PAN);
        assertThat(CardTokenizer.looksLikeCardNumber(token)).isFalse();
    }

    @Test
    void keepsItsOwnCopyOfTheKey() {
        byte[] k = key(32, 5);
        CardTokenizer t = new CardTokenizer(k);
        String before = t.tokenize(PAN);
        Arrays.fill(k, (byte) 0);
        assertThat(t.tokenize(PAN)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcdefghijklmnop", "41111111111", "411111111111111111111", "4111 1111 1111 111x",
            "4111.1111.1111.1111"})
    void rejectsInputThatIsNotACardNumberWithoutEchoingIt(String notACard) {
        CardTokenizer t = new CardTokenizer(key(32, 1));
        assertThatThrownBy(() -> t.tokenize(notACard))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a card number: expected 12 to 19 digits");
    }

    @Test
    void rejectsNull() {
        CardTokenizer t = new CardTokenizer(key(32, 1));
        assertThatThrownBy(() -> t.tokenize(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTwelveToNineteenDigits() {
        CardTokenizer t = new CardTokenizer(key(32, 1));
        assertThat(t.tokenize("123456789012")).startsWith("tok_");
        assertThat(t.tokenize("1234567890123456789")).startsWith("tok_");
    }

    @Test
    void rejectsKeysShorterThan32BytesSayingHowLongTheyMustBe() {
        assertThatThrownBy(() -> new CardTokenizer(key(31, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes")
                .hasMessageContaining("was 31");
        assertThatThrownBy(() -> new CardTokenizer(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void keyFileIsCreatedReadableByTheOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        assumeTrue(System.getenv(CardTokenizer.KEY_ENV) == null, "the key comes from the environment here");
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX");
        Path keyFile = dir.resolve("secrets/nested/token.key");

        CardTokenizer first = CardTokenizer.fromEnvironmentOrFile(keyFile);

        assertThat(keyFile).exists();
        assertThat(Files.getPosixFilePermissions(keyFile))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String content = Files.readString(keyFile);
        assertThat(content.strip()).matches("[0-9a-f]{64}");
        // the file holds the key the tokenizer uses
        assertThat(new CardTokenizer(HexFormat.of().parseHex(content.strip())).tokenize(PAN))
                .isEqualTo(first.tokenize(PAN));

        CardTokenizer second = CardTokenizer.fromEnvironmentOrFile(keyFile);

        assertThat(second.tokenize(PAN)).isEqualTo(first.tokenize(PAN));
        assertThat(Files.readString(keyFile)).isEqualTo(content);
    }

    @Test
    void freshKeyFilesGetDifferentKeys(@TempDir Path dir) {
        assumeTrue(System.getenv(CardTokenizer.KEY_ENV) == null, "the key comes from the environment here");
        CardTokenizer a = CardTokenizer.fromEnvironmentOrFile(dir.resolve("a.key"));
        CardTokenizer b = CardTokenizer.fromEnvironmentOrFile(dir.resolve("b.key"));
        assertThat(a.tokenize(PAN)).isNotEqualTo(b.tokenize(PAN));
    }

    @Test
    void keyFileThatIsNotHexIsRejectedNamingTheFile(@TempDir Path dir) throws Exception {
        assumeTrue(System.getenv(CardTokenizer.KEY_ENV) == null, "the key comes from the environment here");
        Path keyFile = dir.resolve("token.key");
        Files.writeString(keyFile, "this is not a hexadecimal key at all, not even close to one.....\n");

        assertThatThrownBy(() -> CardTokenizer.fromEnvironmentOrFile(keyFile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageContaining("hexadecimal");
    }

    @Test
    void keyFileWithAShortKeyIsRejected(@TempDir Path dir) throws Exception {
        assumeTrue(System.getenv(CardTokenizer.KEY_ENV) == null, "the key comes from the environment here");
        Path keyFile = dir.resolve("token.key");
        Files.writeString(keyFile, HexFormat.of().formatHex(key(16, 1)) + "\n");

        assertThatThrownBy(() -> CardTokenizer.fromEnvironmentOrFile(keyFile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }
}
