// CLIP's BPE tokenizer: ids equal OpenAI's simple_tokenizer.py for the fixture cases from both
// vocabulary layouts, hand-checked golden cases on a tiny merges file, special tokens,
// truncation and padding, and clear errors for broken vocabulary files.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"
#include "poisonlab/core/clip/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

using namespace poisonlab;
namespace fs = std::filesystem;
using Ids = std::vector<int64_t>;

namespace {

struct Case {
    std::string text;
    Ids ids;
    Ids ids77;
};

std::vector<Case> readCases(const fs::path &file)
{
    std::vector<Case> cases;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        const auto j = nlohmann::json::parse(line);
        cases.push_back({j.at("text").get<std::string>(), j.at("ids").get<Ids>(), j.at("ids_77").get<Ids>()});
    }
    return cases;
}

// A row name without control characters (QTest prints it on one line).
std::string rowName(std::string text)
{
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    return text.substr(0, 40);
}

QByteArray show(const Ids &ids)
{
    return QByteArray::fromStdString(nlohmann::json(ids).dump());
}

fs::path tinyMerges()
{
    return test::testDataDir() / "tokenizer/tiny_merges.txt";
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void referenceCases_data();
    void referenceCases();
    void tinyGolden_data();
    void tinyGolden();
    void tinyByHand();
    void specialTokens();
    void truncationAndPadding();
    void invalidUtf8BecomesReplacementCharacter();
    void decodeRecoversNormalisedText();
    void concurrentEncodeAgrees();
    void loadsEveryLayout();
    void saveWritesHuggingFaceFiles();
    void badFiles_data();
    void badFiles();

private:
    void requireReference(const QString &source);

    std::shared_ptr<clip::Tokenizer> m_tiny;
    std::shared_ptr<clip::Tokenizer> m_openAi; // bpe_simple_vocab_16e6.txt.gz
    std::shared_ptr<clip::Tokenizer> m_hf;     // clip_parity_small_hf/{vocab.json,merges.txt}
    std::vector<Case> m_cases;
};

void TestTokenizer::initTestCase()
{
    m_tiny = clip::loadTokenizer(tinyMerges());
    const fs::path fixtures = test::fixturesDir();
    if (!fixtures.empty()) {
        m_openAi = clip::loadTokenizer(fixtures / "bpe_simple_vocab_16e6.txt.gz");
        m_hf = clip::loadTokenizer(fixtures / "clip_parity_small_hf");
    }
}

void TestTokenizer::requireReference(const QString &source)
{
    POISONLAB_REQUIRE_FIXTURES();
    QVERIFY2(source == "openai" ? m_openAi != nullptr : m_hf != nullptr, "reference tokenizer not loaded");
}

void TestTokenizer::referenceCases_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("index");
    const fs::path fixtures = test::fixturesDir();
    if (fixtures.empty()) {
        QTest::newRow("fixtures absent") << QString("openai") << -1;
        return;
    }
    // The fixture's 120 cases, then this project's harder ones (entities, Greek final sigma,
    // Turkish dotted I, long s, exotic white space), made by simple_tokenizer_reference.py.
    m_cases = readCases(fixtures / "clip_tokenizer_cases.jsonl");
    QCOMPARE(m_cases.size(), size_t(120));
    for (const Case &c : readCases(test::testDataDir() / "tokenizer/openai_extra_cases.jsonl"))
        m_cases.push_back(c);
    for (const char *source : {"openai", "hf"}) {
        for (size_t i = 0; i < m_cases.size(); ++i) {
            const std::string name = std::string(source) + (i < 120 ? "/case " : "/extra ") +
                                     std::to_string(i < 120 ? i : i - 120) + ": " + rowName(m_cases[i].text);
            QTest::newRow(name.c_str()) << QString(source) << static_cast<int>(i);
        }
    }
}

void TestTokenizer::referenceCases()
{
    QFETCH(QString, source);
    QFETCH(int, index);
    requireReference(source);
    const Case &c = m_cases.at(static_cast<size_t>(index));
    const clip::Tokenizer &tok = source == "openai" ? *m_openAi : *m_hf;
    QCOMPARE(show(tok.encodeWithSpecialTokens(c.text)), show(c.ids));
    QCOMPARE(show(tok.encodeWithSpecialTokens(c.text, 77)), show(c.ids77));
    Ids row = c.ids77;
    row.resize(77, 0);
    QCOMPARE(show(tok.tokenizeBatch({c.text}, 77)), show(row));
}

void TestTokenizer::tinyGolden_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("ids");
    QTest::addColumn<QByteArray>("ids77");
    for (const Case &c : readCases(test::testDataDir() / "tokenizer/tiny_cases.jsonl"))
        QTest::newRow(rowName(c.text).c_str()) << QString::fromStdString(c.text) << show(c.ids) << show(c.ids77);
}

void TestTokenizer::tinyGolden()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, ids);
    QFETCH(QByteArray, ids77);
    QCOMPARE(show(m_tiny->encodeWithSpecialTokens(text.toStdString())), ids);
    QCOMPARE(show(m_tiny->encodeWithSpecialTokens(text.toStdString(), 77)), ids77);
}

void TestTokenizer::tinyByHand()
{
    // tiny_merges.txt ranks: 0 "l o", 1 "lo w</w>", 2 "e r</w>", 3 "lo w", 4 "h e", 5 "he l",
    // 6 "hel lo</w>", 7 "l o</w>", 8 "a a", 9 "aa a</w>", ...; merge r has id 512 + r.
    QCOMPARE(m_tiny->vocabSize(), int64_t(526));
    QCOMPARE(m_tiny->encode("lower"), (Ids{515, 514}));    // lo w er</w> -> low er</w>
    QCOMPARE(m_tiny->encode("hello"), (Ids{518}));         // he, hel, then lo</w> before hel+lo</w>
    QCOMPARE(m_tiny->encode("aaaa"), (Ids{520, 64, 320})); // "a a" merges left to right: aa a a</w>
    QCOMPARE(m_tiny->encode("aaa"), (Ids{521}));           // aa a</w>
    QCOMPARE(m_tiny->encode("LOW!"), (Ids{513, 256}));     // lower-cased; '!' is byte id 0, 256 with </w>
    QCOMPARE(m_tiny->encode("  "), Ids{});
}

void TestTokenizer::specialTokens()
{
    QCOMPARE(m_tiny->startToken(), int64_t(524));
    QCOMPARE(m_tiny->endToken(), int64_t(525));
    // Written in the text, the special tokens are matched as such (simple_tokenizer's cache).
    QCOMPARE(m_tiny->encode("<|startoftext|>low<|endoftext|>"), (Ids{524, 513, 525}));
    QCOMPARE(m_tiny->encode("<|ENDOFTEXT|>"), (Ids{525})); // lower-cased first
    QCOMPARE(m_tiny->encodeWithSpecialTokens(""), (Ids{524, 525}));
    POISONLAB_REQUIRE_FIXTURES();
    for (const auto &tok : {m_openAi, m_hf}) {
        QCOMPARE(tok->startToken(), int64_t(49406));
        QCOMPARE(tok->endToken(), int64_t(49407));
        QCOMPARE(tok->vocabSize(), int64_t(49408));
        QCOMPARE(tok->encode("a photo of a dog"), (Ids{320, 1125, 539, 320, 1929}));
    }
}

void TestTokenizer::truncationAndPadding()
{
    const std::string text = "low low low low low low";
    QCOMPARE(m_tiny->encodeWithSpecialTokens(text).size(), size_t(8));
    QCOMPARE(m_tiny->encodeWithSpecialTokens(text, 8), (Ids{524, 513, 513, 513, 513, 513, 513, 525}));
    QCOMPARE(m_tiny->encodeWithSpecialTokens(text, 5), (Ids{524, 513, 513, 513, 525})); // 4 ids, then end
    QCOMPARE(m_tiny->encodeWithSpecialTokens(text, 0).size(), size_t(8));
    QVERIFY_THROWS_EXCEPTION(Error, m_tiny->encodeWithSpecialTokens(text, -1));

    const Ids rows = m_tiny->tokenizeBatch({"low", text, ""}, 5);
    QCOMPARE(rows, (Ids{524, 513, 525, 0, 0, /**/ 524, 513, 513, 513, 525, /**/ 524, 525, 0, 0, 0}));
    QCOMPARE(m_tiny->tokenizeBatch({}, 77), Ids{});
    QVERIFY_THROWS_EXCEPTION(Error, m_tiny->tokenizeBatch({"low"}, 0));
}

void TestTokenizer::invalidUtf8BecomesReplacementCharacter()
{
    // Like bytes.decode("utf-8", errors="replace"): one U+FFFD per broken sequence.
    QCOMPARE(m_tiny->encode("lo\xC3"), m_tiny->encode("lo\xEF\xBF\xBD"));
    QCOMPARE(m_tiny->encode("\xE2\x82 low"), m_tiny->encode("\xEF\xBF\xBD low"));
    QCOMPARE(m_tiny->encode("\xF0\x80\x80"), m_tiny->encode("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
    QCOMPARE(m_tiny->encode("\xED\xA0\x80"), m_tiny->encode("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")); // surrogate
}

void TestTokenizer::decodeRecoversNormalisedText()
{
    QCOMPARE(m_tiny->decode(m_tiny->encode("  Hello\tLOWER  aaaa ")), std::string("hello lower aaaa"));
    QCOMPARE(m_tiny->decode({524, 513, 525}), std::string("<|startoftext|>low <|endoftext|>"));
    QCOMPARE(m_tiny->decode(m_tiny->encode("caf\xC3\xA9 &amp; cr\xC3\xA8me")),
             std::string("caf\xC3\xA9 & cr\xC3\xA8me"));
    QVERIFY_THROWS_EXCEPTION(Error, m_tiny->decode({526}));
    QVERIFY_THROWS_EXCEPTION(Error, m_tiny->decode({-1}));
    POISONLAB_REQUIRE_FIXTURES();
    QCOMPARE(m_openAi->decode(m_openAi->encode("A  Photo\nof a DOG,\u00a0sleeping")),
             std::string("a photo of a dog , sleeping"));
}

void TestTokenizer::concurrentEncodeAgrees()
{
    // encode() is const and shares a word cache between threads.
    const std::vector<std::string> texts = {"lower hello", "aaaa aaa", "new newer lows", "hello lower"};
    std::vector<Ids> expected;
    for (const auto &t : texts)
        expected.push_back(clip::loadTokenizer(tinyMerges())->encode(t));
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int k = 0; k < 2000; ++k) {
                const size_t i = static_cast<size_t>((k + t) % 4);
                if (m_tiny->encode(texts[i] + (k % 7 == 0 ? " " + std::to_string(k) : "")).size() < expected[i].size())
                    ++mismatches;
                if (m_tiny->encode(texts[i]) != expected[i])
                    ++mismatches;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    QCOMPARE(mismatches.load(), 0);
}

void TestTokenizer::loadsEveryLayout()
{
    test::TempDir dir;
    m_tiny->save(dir / "hf");
    QVERIFY(fs::exists(dir / "hf/vocab.json"));
    QVERIFY(fs::exists(dir / "hf/merges.txt"));
    const std::string text = "Hello lower, AAAA new-newer!";
    const Ids expected = m_tiny->encode(text);
    for (const fs::path &p : {fs::path(dir / "hf"), fs::path(dir / "hf/vocab.json"), fs::path(dir / "hf/merges.txt"),
                              test::testDataDir() / "tokenizer/tiny_merges.txt.gz"}) {
        auto tok = clip::loadTokenizer(p);
        QVERIFY2(tok->encode(text) == expected, p.c_str());
        QCOMPARE(tok->vocabSize(), m_tiny->vocabSize());
        QCOMPARE(tok->endToken(), m_tiny->endToken());
    }
}

void TestTokenizer::saveWritesHuggingFaceFiles()
{
    POISONLAB_REQUIRE_FIXTURES();
    // OpenAI's merges saved in Hugging Face's layout give the files transformers ships.
    test::TempDir dir;
    m_openAi->save(dir.path());
    const fs::path hf = test::fixturesDir() / "clip_parity_small_hf";
    QVERIFY(readJsonFile(dir / "vocab.json") == readJsonFile(hf / "vocab.json"));
    auto lines = [](const fs::path &p) {
        std::vector<std::string> out;
        std::ifstream in(p);
        for (std::string l; std::getline(in, l);)
            if (!l.empty())
                out.push_back(l);
        return out;
    };
    QVERIFY(lines(dir / "merges.txt") == lines(hf / "merges.txt"));
}

void TestTokenizer::badFiles_data()
{
    QTest::addColumn<QString>("file");     // written into a fresh folder, then loaded
    QTest::addColumn<QByteArray>("bytes"); // its content
    QTest::addColumn<QString>("load");     // what loadTokenizer() is given
    QTest::addColumn<QString>("named");    // the file the message must name
    QTest::addColumn<QString>("problem");  // and a piece of the problem
    const QByteArray tinyVocab = QByteArray::fromStdString(readFile(tinyMerges()));
    const QByteArray gzipHeader("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    QByteArray gz = QByteArray::fromStdString(readFile(test::testDataDir() / "tokenizer/tiny_merges.txt.gz"));
    QTest::newRow("missing") << "" << QByteArray() << "nothing.txt.gz"
                             << "nothing.txt.gz"
                             << "not found";
    QTest::newRow("bad gzip") << "v.txt.gz" << gzipHeader + "not deflate data at all"
                              << "v.txt.gz"
                              << "v.txt.gz"
                              << "corrupt gzip data";
    QTest::newRow("truncated gzip") << "v.txt.gz" << gz.left(gz.size() / 2) << "v.txt.gz"
                                    << "v.txt.gz"
                                    << "corrupt gzip data";
    QTest::newRow(".gz not gzip") << "v.txt.gz" << tinyVocab << "v.txt.gz"
                                  << "v.txt.gz"
                                  << "not gzip data";
    QTest::newRow("empty") << "v.txt" << QByteArray() << "v.txt"
                           << "v.txt"
                           << "empty file";
    QTest::newRow("wrong header") << "v.txt" << QByteArray("i n\nt h\n") << "v.txt"
                                  << "v.txt"
                                  << "header";
    QTest::newRow("malformed merge") << "v.txt" << QByteArray("#version: 0.2\ni n\nt h e\n") << "v.txt"
                                     << "v.txt"
                                     << "line 3: malformed merge 't h e'";
    QTest::newRow("one-symbol merge") << "v.txt" << QByteArray("#version: 0.2\ni\n") << "v.txt"
                                      << "v.txt"
                                      << "line 2: malformed merge";
    QTest::newRow("no merges") << "v.txt" << QByteArray("#version: 0.2\n\n") << "v.txt"
                               << "v.txt"
                               << "no merges";
    QTest::newRow("binary") << "v.txt" << QByteArray("#version\n\xff\xfe\x00\x01", 13) << "v.txt"
                            << "v.txt"
                            << "not UTF-8";
    QTest::newRow("vocab.json not an object") << "vocab.json" << QByteArray("[1, 2]") << "vocab.json"
                                              << "vocab.json"
                                              << "expected a JSON object";
    QTest::newRow("vocab.json bad JSON") << "vocab.json" << QByteArray("{\"a\": 1,") << "vocab.json"
                                         << "vocab.json"
                                         << "invalid JSON";
    QTest::newRow("vocab.json bad id") << "vocab.json" << QByteArray("{\"a\": \"one\"}") << "vocab.json"
                                       << "vocab.json"
                                       << "has id";
    // 26 bytes used to make the tokenizer allocate a table of 16 million tokens (512 MB).
    QTest::newRow("vocab.json id past its size")
        << "vocab.json" << QByteArray("{\"a\": 0, \"b\": 15999999}") << "vocab.json"
        << "vocab.json"
        << "has id 15999999 but the vocabulary holds 2 tokens";
    QTest::newRow("vocab.json lacks bytes") << "vocab.json" << QByteArray("{\"a\": 0, \"b\": 1}") << "vocab.json"
                                            << "vocab.json"
                                            << "lacks";
    QTest::newRow("merges.txt missing") << "vocab.json" << QByteArray("{\"a\": 0}") << "vocab.json"
                                        << "merges.txt"
                                        << "file not found";
    QTest::newRow("folder without vocab") << "other.txt" << QByteArray("x") << "."
                                          << ""
                                          << "no tokenizer in this folder";
}

void TestTokenizer::badFiles()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, load);
    QFETCH(QString, named);
    QFETCH(QString, problem);
    test::TempDir dir;
    if (!file.isEmpty())
        test::writeText(dir / file.toStdString(), bytes.toStdString());
    // vocab.json cases that are not about merges.txt get a valid one beside them.
    if (file == "vocab.json" && named != "merges.txt")
        test::writeText(dir / "merges.txt", readFile(tinyMerges()));
    try {
        clip::loadTokenizer(dir / load.toStdString());
        QFAIL("no exception");
    } catch (const Error &e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.contains(problem), qPrintable(message));
        if (!named.isEmpty())
            QVERIFY2(message.contains(named), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(dir.path().string())), qPrintable(message));
    }
}

POISONLAB_TEST_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
