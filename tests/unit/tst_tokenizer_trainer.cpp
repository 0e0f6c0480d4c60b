// BpeTrainer: deterministic merges, the requested vocabulary size, CLIP's layout, and a
// train -> save -> load round trip that keeps every id.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/BpeTrainer.h"
#include "poisonlab/core/clip/Tokenizer.h"

#include <algorithm>

using namespace poisonlab;
namespace fs = std::filesystem;
using Ids = std::vector<int64_t>;

namespace {

// A few hundred captions in the demo's style, always the same.
std::vector<std::string> corpus()
{
    const char *adjectives[] = {"small", "fluffy", "red", "old", "shiny", "muddy", "striped"};
    const char *nouns[] = {"sheep", "dog", "airplane", "bicycle", "giraffe", "umbrella", "pizza", "boat"};
    const char *places[] = {"in the snow.", "on the runway!", "near the river", "under a tree .", "at the beach"};
    std::vector<std::string> out;
    for (size_t i = 0; i < 7 * 8 * 5; ++i)
        out.push_back(std::string(i % 3 == 0 ? "A " : "Two ") + adjectives[i % 7] + " " + nouns[(i / 7) % 8] +
                      " sitting " + places[(i / 56) % 5]);
    return out;
}

std::shared_ptr<clip::ClipBpeTokenizer> trainOn(const std::vector<std::string> &texts, int64_t size,
                                                int64_t minCount = 2)
{
    clip::BpeTrainer trainer({size, minCount});
    trainer.addTexts(texts);
    return trainer.train();
}

} // namespace

class TestTokenizerTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deterministicWhateverTheOrder();
    void reachesTheRequestedSize();
    void stopsWhenNoPairIsFrequentEnough();
    void tiesGoToSmallerIds();
    void frequentWordsBecomeOneToken();
    void saveLoadRoundTrip();
    void decodeRecoversNormalisedText();
    void rejectsTooSmallVocabulary();
    void cancellable();
};

void TestTokenizerTrainer::deterministicWhateverTheOrder()
{
    std::vector<std::string> texts = corpus();
    const auto a = trainOn(texts, 600);
    std::reverse(texts.begin(), texts.end());
    const auto b = trainOn(texts, 600);
    QCOMPARE(a->merges().size(), size_t(600 - 514));
    QVERIFY(a->merges() == b->merges());
    QVERIFY(trainOn(texts, 560)->merges() == std::vector(a->merges().begin(), a->merges().begin() + 46));
}

void TestTokenizerTrainer::reachesTheRequestedSize()
{
    const auto tok = trainOn(corpus(), 600);
    QCOMPARE(tok->vocabSize(), int64_t(600));
    // CLIP's layout: bytes, bytes + "</w>", merges, then the two special tokens.
    QCOMPARE(tok->startToken(), int64_t(598));
    QCOMPARE(tok->endToken(), int64_t(599));
    QCOMPARE(tok->tokenString(256), tok->tokenString(0) + "</w>");
    const auto &[first, second] = tok->merges().front();
    QCOMPARE(tok->tokenString(512), first + second);
}

void TestTokenizerTrainer::stopsWhenNoPairIsFrequentEnough()
{
    // Far more merges wanted than the corpus has pairs: stops, and the size says so.
    const auto tok = trainOn({"abc abc"}, 4096);
    QCOMPARE(tok->merges().size(), size_t(2)); // "a b" then "ab c</w>"
    QCOMPARE(tok->vocabSize(), int64_t(516));
    QCOMPARE(tok->encode("abc"), Ids{513});
    QCOMPARE(trainOn({"abc"}, 4096).get()->merges().size(), size_t(0)); // each pair seen once < 2
    QCOMPARE(trainOn({"abc"}, 4096, 1).get()->merges().size(), size_t(2));
}

void TestTokenizerTrainer::tiesGoToSmallerIds()
{
    // "c d</w>" and "a b</w>" are equally frequent: the pair of smaller ids ('a' < 'c') wins.
    const auto tok = trainOn({"cd ab cd ab"}, 515);
    QCOMPARE(tok->merges().size(), size_t(1));
    QCOMPARE(tok->merges()[0].first, std::string("a"));
    QCOMPARE(tok->merges()[0].second, std::string("b</w>"));
}

void TestTokenizerTrainer::frequentWordsBecomeOneToken()
{
    const auto tok = trainOn(corpus(), 1024);
    for (const char *word : {"sheep", "giraffe", "umbrella", "the", "sitting"}) {
        const Ids ids = tok->encode(word);
        QVERIFY2(ids.size() == 1, word);
        QCOMPARE(tok->tokenString(ids[0]), std::string(word) + "</w>");
    }
    QCOMPARE(tok->encode("A SHEEP."), (Ids{tok->encode("a")[0], tok->encode("sheep")[0], tok->encode(".")[0]}));
}

void TestTokenizerTrainer::saveLoadRoundTrip()
{
    const auto tok = trainOn(corpus(), 900);
    test::TempDir dir;
    tok->save(dir / "tokenizer");
    std::vector<std::string> texts = corpus();
    texts.push_back("unseen words: zebra caf\xC3\xA9 \xF0\x9F\x90\x91 &amp; 123");
    for (const fs::path &p : {dir / "tokenizer", dir / "tokenizer/vocab.json", dir / "tokenizer/merges.txt"}) {
        const auto loaded = clip::loadTokenizer(p);
        QCOMPARE(loaded->vocabSize(), tok->vocabSize());
        QCOMPARE(loaded->endToken(), tok->endToken());
        for (const auto &t : texts)
            QVERIFY2(loaded->encodeWithSpecialTokens(t) == tok->encodeWithSpecialTokens(t), t.c_str());
    }
    // Saving again writes the same bytes (nothing depends on hashing order).
    tok->save(dir / "again");
    QCOMPARE(test::runCommand("cmp -s '" + (dir / "tokenizer/vocab.json").string() + "' '" +
                              (dir / "again/vocab.json").string() + "'"),
             0);
}

void TestTokenizerTrainer::decodeRecoversNormalisedText()
{
    const auto tok = trainOn(corpus(), 800);
    QCOMPARE(tok->decode(tok->encode("  Two  SHINY\tgiraffe sitting near the river ")),
             std::string("two shiny giraffe sitting near the river"));
    QCOMPARE(tok->decode(tok->encode("zebra \xC3\xBC\xC3\x9F")), std::string("zebra \xC3\xBC\xC3\x9F"));
}

void TestTokenizerTrainer::rejectsTooSmallVocabulary()
{
    QVERIFY_THROWS_EXCEPTION(Error, trainOn(corpus(), 513));
    QCOMPARE(trainOn(corpus(), 514)->vocabSize(), int64_t(514));
}

void TestTokenizerTrainer::cancellable()
{
    CallbackProgress progress;
    int reports = 0;
    CallbackProgress counting([&](const ProgressEvent &e) {
        QCOMPARE(e.stage, std::string("tokenizer"));
        ++reports;
    });
    clip::BpeTrainer trainer({2000, 2});
    trainer.addTexts(corpus());
    trainer.train(&counting);
    QVERIFY(reports >= 2);
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(CancelledError, trainer.train(&progress));
}

POISONLAB_TEST_MAIN(TestTokenizerTrainer)
#include "tst_tokenizer_trainer.moc"
