using Berth.Build.Dockerfile;

namespace Berth.Build.Tests.Dockerfile;

public sealed class ShellLexTests
{
    static readonly Dictionary<string, string> Env = new()
    {
        ["HOME"] = "/root",
        ["EMPTY"] = "",
        ["FILE"] = "archive.tar.gz",
        ["PATHS"] = "/usr/local/bin:/usr/bin:/bin",
        ["TWO"] = "a  b",
        ["STAR"] = "x*y",
    };

    static string Word(string word, char escape = '\\') => new ShellLex(escape).ProcessWord(word, Env);

    static List<string> Words(string word) => new ShellLex().ProcessWords(word, Env);

    static string Error(string word) => Assert.Throws<DockerfileException>(() => Word(word)).Message;

    [Theory]
    [InlineData("$HOME", "/root")]
    [InlineData("${HOME}", "/root")]
    [InlineData("$HOME/x", "/root/x")]
    [InlineData("${HOME}x", "/rootx")]
    [InlineData("$HOMEx", "")]
    [InlineData("$NOPE", "")]
    [InlineData("a$", "a$")]
    [InlineData("$1x", "x")]
    [InlineData("$ x", "$ x")]
    [InlineData("\\$HOME", "$HOME")]
    [InlineData("'$HOME'", "$HOME")]
    [InlineData("\"$HOME\"", "/root")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\nb\"", "a\\nb")]
    [InlineData("a\\ b", "a b")]
    [InlineData("'a\\b'", "a\\b")]
    [InlineData("x\\", "x")]
    public void Substitutes_and_removes_quotes(string word, string expected) => Assert.Equal(expected, Word(word));

    [Theory]
    [InlineData("${NOPE:-dflt}", "dflt")]
    [InlineData("${EMPTY:-dflt}", "dflt")]
    [InlineData("${HOME:-dflt}", "/root")]
    [InlineData("${NOPE-dflt}", "dflt")]
    [InlineData("${EMPTY-dflt}", "")]
    [InlineData("${HOME:+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    [InlineData("${NOPE:+set}", "")]
    [InlineData("${EMPTY+set}", "set")]
    [InlineData("${NOPE+set}", "")]
    [InlineData("${HOME:?msg}", "/root")]
    [InlineData("${EMPTY?msg}", "")]
    [InlineData("${NOPE:-$HOME/x}", "/root/x")]
    [InlineData("${NOPE:-'a b'}", "a b")]
    public void Default_and_alternative_values(string word, string expected) => Assert.Equal(expected, Word(word));

    [Theory]
    [InlineData("${FILE#*.}", "tar.gz")]
    [InlineData("${FILE##*.}", "gz")]
    [InlineData("${FILE%.*}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${FILE#archive}", ".tar.gz")]
    [InlineData("${FILE#nomatch}", "archive.tar.gz")]
    [InlineData("${FILE%.g?}", "archive.tar")]
    [InlineData("${FILE#[a-c]}", "rchive.tar.gz")]
    [InlineData("${FILE#[!a]}", "archive.tar.gz")]
    [InlineData("${PATHS%%:*}", "/usr/local/bin")]
    [InlineData("${PATHS##*:}", "/bin")]
    [InlineData("${STAR#*\\*}", "y")]
    [InlineData("${NOPE#x}", "")]
    [InlineData("${FILE/.//}", "archive/tar.gz")]
    [InlineData("${FILE//./_}", "archive_tar_gz")]
    [InlineData("${FILE/a*./X}", "Xgz")]
    [InlineData("${FILE/tar/}", "archive..gz")]
    [InlineData("${FILE/zzz/y}", "archive.tar.gz")]
    public void Pattern_substitutions(string word, string expected) => Assert.Equal(expected, Word(word));

    [Theory]
    [InlineData("${A", "failed to process \"${A\": missing ':' in substitution")]
    [InlineData("${A*x}", "failed to process \"${A*x}\": missing ':' in substitution")]
    [InlineData("${", "failed to process \"${\": syntax error: missing '}'")]
    [InlineData("${A:", "failed to process \"${A:\": syntax error: missing '}'")]
    [InlineData("${A:-x", "failed to process \"${A:-x\": syntax error: missing '}'")]
    [InlineData("${A#x", "failed to process \"${A#x\": syntax error: missing '}'")]
    [InlineData("${A/x", "failed to process \"${A/x\": syntax error: missing '/' in ${}")]
    [InlineData("${}", "failed to process \"${}\": syntax error: bad substitution")]
    [InlineData("${:a}", "failed to process \"${:a}\": syntax error: bad substitution")]
    [InlineData("${A:x}", "failed to process \"${A:x}\": unsupported modifier (x) in substitution")]
    [InlineData("${NOPE:?}", "failed to process \"${NOPE:?}\": NOPE: is not allowed to be unset")]
    [InlineData("${EMPTY:?}", "failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty")]
    [InlineData("${NOPE?must be set}", "failed to process \"${NOPE?must be set}\": NOPE: must be set")]
    [InlineData("'a", "failed to process \"'a\": unexpected end of statement while looking for matching single-quote")]
    [InlineData("\"a", "failed to process \"\\\"a\": unexpected end of statement while looking for matching double-quote")]
    public void Errors_as_docker_words_them(string word, string expected) => Assert.Equal(expected, Error(word));

    [Fact]
    public void Words_split_on_unquoted_white_space_after_substitution()
    {
        Assert.Equal(["a", "b", "c"], Words("a b  c"));
        Assert.Equal(["a", "b"], Words("$TWO"));
        Assert.Equal(["a  b"], Words("\"$TWO\""));
        Assert.Equal(["a b", "c"], Words("'a b' c"));
        Assert.Equal(["a b"], Words("a\\ b"));
        Assert.Empty(Words("''"));
    }

    [Fact]
    public void Backtick_escape_token()
    {
        Assert.Equal("$HOME", Word("`$HOME", '`'));
        Assert.Equal("c:\\dir", Word("c:\\dir", '`'));
        Assert.Equal("a\"b", Word("\"a`\"b\"", '`'));
    }

    [Fact]
    public void Raw_quotes_and_escapes_and_unset_variables_kept_on_request()
    {
        Assert.Equal("'a' \"b\"", new ShellLex { RawQuotes = true }.ProcessWord("'a' \"b\"", Env));
        Assert.Equal("a\\ b", new ShellLex { RawEscapes = true }.ProcessWord("a\\ b", Env));
        Assert.Equal("$NOPE ${NOPE} ${NOPE:-x} /root", new ShellLex { SkipUnsetEnv = true }.ProcessWord("$NOPE ${NOPE} ${NOPE:-x} $HOME", Env));
    }

    [Fact]
    public void Environment_lists_first_entry_wins()
        => Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "" }, ShellLex.Environment(["A=1", "B", "A=2"]));
}
