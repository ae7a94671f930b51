package dev.nanolab.datasets.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void doubleStarCrossesFoldersAndSingleStarDoesNot() {
        Predicate<String> base = Glob.of("java.base/**");
        assertThat(base.test("java.base/java/lang/Object.java")).isTrue();
        assertThat(base.test("java.desktop/java/awt/Color.java")).isFalse();
        assertThat(base.test("java.baseX/a.java")).isFalse();

        Predicate<String> lang = Glob.of("java.base/java/lang/*");
        assertThat(lang.test("java.base/java/lang/Object.java")).isTrue();
        assertThat(lang.test("java.base/java/lang/ref/Reference.java")).isFalse();

        Predicate<String> anyDepth = Glob.of("**/*.java");
        assertThat(anyDepth.test("A.java")).isTrue();
        assertThat(anyDepth.test("a/b/A.java")).isTrue();
        assertThat(anyDepth.test("a/b/A.javax")).isFalse();
    }

    @Test
    void aPatternWithoutSlashMatchesTheFileNameInAnyFolder() {
        Predicate<String> md = Glob.of("*.md");
        assertThat(md.test("README.md")).isTrue();
        assertThat(md.test("docs/guide/intro.md")).isTrue();
        assertThat(md.test("docs/guide/intro.txt")).isFalse();
        assertThat(Glob.of("c[k-r]??").test("ck01")).isTrue();
        assertThat(Glob.of("c[k-r]??").test("ca01")).isFalse();
        assertThat(Glob.of("c[!a]*").test("ca01")).isFalse();
        assertThat(Glob.of("c[!a]*").test("cb01")).isTrue();
    }

    @Test
    void bracesAreAlternativesAndRegexCharactersAreLiteral() {
        Predicate<String> p = Glob.of("src/{main,test}/**/*.{java,kt}");
        assertThat(p.test("src/main/a/B.java")).isTrue();
        assertThat(p.test("src/test/B.kt")).isTrue();
        assertThat(p.test("src/other/B.java")).isFalse();
        assertThat(Glob.of("a+b(1).txt").test("a+b(1).txt")).isTrue();
        assertThat(Glob.of("a.txt").test("abtxt")).isFalse();
    }

    @Test
    void anEmptyListMatchesEverythingAndAListMatchesWhenAnyDoes() {
        assertThat(Glob.anyOf(List.of()).test("anything/at/all")).isTrue();
        Predicate<String> two = Glob.anyOf(List.of("*.md", "src/**"));
        assertThat(two.test("x/y.md")).isTrue();
        assertThat(two.test("src/a/b.c")).isTrue();
        assertThat(two.test("lib/a.c")).isFalse();
    }

    @Test
    void badPatternsAreRefusedByName() {
        assertThatThrownBy(() -> Glob.of("a[b")).hasMessageContaining("'a[b'");
        assertThatThrownBy(() -> Glob.of("{a,b")).hasMessageContaining("'{a,b'");
        assertThatThrownBy(() -> Glob.of("")).hasMessageContaining("empty");
    }
}
