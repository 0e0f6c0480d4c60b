// `poisonlab-cli tokenize`, run as third parties run it: the JSON shape, --context cuts,
// texts starting with '-', every vocabulary layout, and exit codes for bad input.
#include "TestSupport.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
namespace fs = std::filesystem;

namespace {

std::string shellQuote(const std::string &s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

int tokenize(const std::vector<std::string> &args, std::string *output)
{
    std::string command = shellQuote(test::binary("poisonlab-cli").string()) + " tokenize";
    for (const auto &a : args)
        command += " " + shellQuote(a);
    return test::runCommand(command, output);
}

std::string tiny()
{
    return (test::testDataDir() / "tokenizer/tiny_merges.txt").string();
}

} // namespace

class TestTokenizerCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printsIdsExactly();
    void contextCuts();
    void textsStartingWithDash();
    void fixtureVocabularies();
    void badInput_data();
    void badInput();
};

void TestTokenizerCli::printsIdsExactly()
{
    std::string out;
    QCOMPARE(tokenize({"--vocab", tiny(), "lower", "Hello world", ""}, &out), 0);
    // start 524, BPE ids, end 525; unpadded; Python json.dumps spacing.
    QCOMPARE(out, std::string("{\"ids\": [[524, 515, 514, 525], [524, 518, 86, 78, 81, 75, 323, 525], [524, 525]]}\n"));
}

void TestTokenizerCli::contextCuts()
{
    std::string out;
    QCOMPARE(tokenize({"--vocab", tiny(), "--context", "4", "low low low low", "low"}, &out), 0);
    const auto j = nlohmann::json::parse(out);
    QCOMPARE(j.at("ids").dump(), std::string("[[524,513,513,525],[524,513,525]]"));
}

void TestTokenizerCli::textsStartingWithDash()
{
    std::string out;
    QCOMPARE(tokenize({"--vocab", tiny(), "--", "-low", "--context"}, &out), 0);
    QCOMPARE(nlohmann::json::parse(out).at("ids").size(), size_t(2));
}

void TestTokenizerCli::fixtureVocabularies()
{
    POISONLAB_REQUIRE_FIXTURES();
    const fs::path f = test::fixturesDir();
    for (const fs::path &vocab :
         {f / "bpe_simple_vocab_16e6.txt.gz", f / "clip_parity_small_hf", f / "clip_parity_small_hf/vocab.json"}) {
        std::string out;
        QCOMPARE(tokenize({"--vocab", vocab.string(), "--context", "77", "I'm here", "Two dogs & three cats"}, &out),
                 0);
        QCOMPARE(out, std::string("{\"ids\": [[49406, 328, 880, 763, 49407], [49406, 1237, 3255, 261, 2097, 3989, "
                                  "49407]]}\n"));
    }
}

void TestTokenizerCli::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no vocab option") << QStringList{"text"} << 2 << "--vocab";
    QTest::newRow("no text") << QStringList{"--vocab", QString::fromStdString(tiny())} << 2 << "text";
    QTest::newRow("negative context") << QStringList{"--vocab", QString::fromStdString(tiny()), "--context", "-3", "x"}
                                      << 2 << "--context";
    QTest::newRow("missing vocab") << QStringList{"--vocab", "/nonexistent/bpe.txt.gz", "x"} << 2
                                   << "/nonexistent/bpe.txt.gz";
    QTest::newRow("corrupt vocab") << QStringList{"--vocab", "CORRUPT", "x"} << 2 << "corrupt gzip data";
    QTest::newRow("vocab.json alone") << QStringList{"--vocab", "LONELY", "x"} << 2 << "merges.txt";
}

void TestTokenizerCli::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    test::TempDir dir;
    test::writeText(dir / "bad.txt.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 17));
    test::writeText(dir / "lonely/vocab.json", "{}");
    std::vector<std::string> a;
    for (const QString &s : args)
        a.push_back(s == "CORRUPT"  ? (dir / "bad.txt.gz").string()
                    : s == "LONELY" ? (dir / "lonely/vocab.json").string()
                                    : s.toStdString());
    std::string out;
    QCOMPARE(tokenize(a, &out), exitCode);
    QVERIFY2(QString::fromStdString(out).contains(message), out.c_str());
    QVERIFY2(out.find("{\"ids\"") == std::string::npos, out.c_str());
}

POISONLAB_TEST_MAIN(TestTokenizerCli)
#include "tst_tokenizer_cli.moc"
