// The retrieval explorer's core and `poisonlab-cli retrieve` on a tiny poisoned run the test
// trains: rankings equal the ranking computed from the run's .npy files (a rank counts strictly
// higher scores), typed queries embed like the metrics' captions (an epoch's checkpoint too), a
// model the run did not record is embedded once and cached in the record format, bad queries
// say why, and `retrieve --json` reproduces the evaluation record's MinRank, Hit@K and R@K.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/eval/RetrievalRanking.h"
#include "poisonlab/core/eval/SimilarityMatrix.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RetrievalGallery.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

class TestRetrieval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void topRankedSharesTiedRanks();
    void captionRankingEqualsNpyRanking_data();
    void captionRankingEqualsNpyRanking();
    void captionsOfAnImageEqualNpyColumn();
    void targetsAreTheGoalsTargets();
    void typedQueryEmbedsLikeTheMetrics_data();
    void typedQueryEmbedsLikeTheMetrics();
    void badQueriesSayWhy();
    void missingRecordIsEmbeddedAndCached();
    void cliJsonReproducesTheEvaluationRecord();
    void cliRefusesBadInput_data();
    void cliRefusesBadInput();

private:
    std::shared_ptr<const RetrievalGallery> open(const std::string &model, const fs::path &run = {}) const;
    std::unique_ptr<test::TempDir> m_dir;
    fs::path m_run;
};

void TestRetrieval::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    test::writeToyExperimentData(*m_dir / "toy");
    // Attack II (sheep -> aeroplane) and an Attack I goal on one aeroplane image.
    const json goals = {{{"source", "sheep"}, {"target", "aeroplane"}},
                        {{"source", "dog"}, {"target", "aeroplane"}, {"target_image", "img/aeroplane5.png"}}};
    NullProgress progress;
    RunOptions options;
    options.outDir = *m_dir / "run";
    ExperimentRunner::run(test::toyExperimentConfig(*m_dir / "toy", true, "toy", goals), options, progress);
    m_run = options.outDir;
}

std::shared_ptr<const RetrievalGallery> TestRetrieval::open(const std::string &model, const fs::path &run) const
{
    NullProgress progress;
    return RetrievalGallery::load({run.empty() ? m_run : run, model, true}, progress);
}

void TestRetrieval::topRankedSharesTiedRanks()
{
    const float scores[] = {0.1f, 0.5f, 0.5f, 0.9f, 0.5f, -1.f};
    const auto top = eval::topRanked(scores, 6, 4);
    QCOMPARE(top.size(), std::size_t(4));
    const int index[] = {3, 1, 2, 4};
    const std::int64_t rank[] = {0, 1, 1, 1};
    for (std::size_t p = 0; p < 4; ++p) {
        QCOMPARE(top[p].index, index[p]);
        QCOMPARE(top[p].rank, rank[p]);
        QCOMPARE(top[p].rank, eval::countHigher(scores, 6, scores[index[p]]));
    }
    QCOMPARE(eval::topRanked(scores, 6, 0).size(), std::size_t(6)); // k <= 0: all
}

void TestRetrieval::captionRankingEqualsNpyRanking_data()
{
    QTest::addColumn<QString>("model");
    for (const char *m : {"final", "initial", "epoch-1"})
        QTest::newRow(m) << m;
}

void TestRetrieval::captionRankingEqualsNpyRanking()
{
    QFETCH(QString, model);
    const auto g = open(model.toStdString());
    QVERIFY(!g->computedNow());
    // The ranking from the .npy files alone: S = captions @ images.T, rank = strictly higher.
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_run, model.toStdString()));
    const torch::Tensor s = rec.captions.matmul(rec.images.t()).contiguous();
    const auto n = s.size(1);
    for (int c = 0; c < int(s.size(0)); ++c) {
        const float *row = s.data_ptr<float>() + c * n;
        const auto hits = g->topImagesForCaption(c, 0);
        QCOMPARE(hits.size(), std::size_t(n));
        std::vector<char> seen(std::size_t(n), 0);
        for (std::size_t p = 0; p < hits.size(); ++p) {
            QCOMPARE(hits[p].score, row[hits[p].row]);
            QCOMPARE(hits[p].rank, eval::countHigher(row, n, row[hits[p].row]));
            if (p > 0)
                QVERIFY(hits[p].score <= hits[p - 1].score);
            seen[std::size_t(hits[p].row)] = 1;
        }
        QCOMPARE(std::count(seen.begin(), seen.end(), 1), n);
        QCOMPARE(g->topImagesForCaption(c, 3).size(), std::size_t(3));
    }
}

void TestRetrieval::captionsOfAnImageEqualNpyColumn()
{
    const auto g = open("final");
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_run, "final"));
    const torch::Tensor s = rec.captions.matmul(rec.images.t()).t().contiguous(); // images x captions
    for (int i = 0; i < g->imageCount(); ++i) {
        const float *col = s.data_ptr<float>() + std::int64_t(i) * s.size(1);
        const auto hits = g->topCaptions(i, 5);
        QCOMPARE(hits.size(), std::size_t(5));
        for (const auto &h : hits) {
            QCOMPARE(h.score, col[h.row]);
            QCOMPARE(h.rank, eval::countHigher(col, s.size(1), col[h.row]));
            QCOMPARE(h.text, rec.index["captions"][std::size_t(h.row)]["text"].get<std::string>());
            QCOMPARE(h.imageRow, rec.captionImageRow[std::size_t(h.row)]);
        }
    }
}

void TestRetrieval::targetsAreTheGoalsTargets()
{
    const auto g = open("final");
    QCOMPARE(g->goalNames(), (std::vector<std::string>{"sheep->aeroplane", "dog->aeroplane"}));
    int targets = 0;
    for (int i = 0; i < g->imageCount(); ++i) {
        const bool aeroplane = g->dataset()->images[std::size_t(i)].path.rfind("img/aeroplane", 0) == 0;
        QCOMPARE(g->isTarget(i), aeroplane); // Attack II's class B (Attack I's x* is one of them)
        targets += g->isTarget(i);
    }
    QCOMPARE(targets, 2);
    for (const auto &h : g->topImagesForCaption(0, 0))
        QCOMPARE(h.target, g->isTarget(h.row));
    // Paths resolve against the dataset root, for thumbnails.
    QVERIFY(fs::is_regular_file(g->dataset()->imagePath(0)));
}

void TestRetrieval::typedQueryEmbedsLikeTheMetrics_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("final") << "final";
    QTest::newRow("initial") << "initial";
    QTest::newRow("epoch-1 (a checkpoint)") << "epoch-1";
}

void TestRetrieval::typedQueryEmbedsLikeTheMetrics()
{
    QFETCH(QString, model);
    const auto g = open(model.toStdString());
    QVERIFY2(g->canEmbedText(), g->textProblem().c_str());
    // Typing a gallery caption's text scores every image as its row of the record does: the
    // query goes through the model that made the record (for epoch-1, its checkpoint).
    for (int c = 0; c < g->captionCount(); c += 3) {
        const auto typed = g->topImagesForText(g->dataset()->captions[std::size_t(c)].text, 0);
        const auto picked = g->topImagesForCaption(c, 0);
        std::vector<float> byRow(typed.size());
        for (const auto &h : typed)
            byRow[std::size_t(h.row)] = h.score;
        for (const auto &h : picked)
            QVERIFY2(std::abs(byRow[std::size_t(h.row)] - h.score) < 1e-5,
                     qPrintable(QString("caption %1, image %2: %3 vs %4")
                                    .arg(c)
                                    .arg(h.row)
                                    .arg(byRow[std::size_t(h.row)])
                                    .arg(h.score)));
    }
}

void TestRetrieval::badQueriesSayWhy()
{
    const auto g = open("final");
    auto message = [&](auto &&call) -> QString {
        try {
            call();
        } catch (const Error &e) {
            return e.what();
        }
        return {};
    };
    QVERIFY(message([&] { g->topImagesForText("   ", 5); }).contains("tokenises to nothing"));
    QVERIFY(message([&] { g->topImagesForText("", 5); }).contains("tokenises to nothing"));
    QVERIFY(message([&] { g->topImagesForCaption(16, 5); }).contains("no caption row 16"));
    QVERIFY(message([&] { g->topCaptions(-1, 5); }).contains("no image row -1"));
    QVERIFY(message([&] { open("best"); }).contains("final, initial or epoch-N"));
    QVERIFY(message([&] { open("epoch-3"); }).contains("there is no epoch-3"));
}

void TestRetrieval::missingRecordIsEmbeddedAndCached()
{
    // A copy of the run without its record of the starting model.
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::copy(m_run, run, fs::copy_options::recursive);
    fs::remove_all(eval::evaluationRecordDir(run, "initial"));
    const auto g = open("initial", run);
    QVERIFY(g->computedNow());
    const fs::path rec = eval::evaluationRecordDir(run, "initial");
    for (const char *file : {"images.npy", "captions.npy", "index.json", "metrics.json"})
        QVERIFY2(fs::is_regular_file(rec / file), (rec / file).c_str());
    for (const auto &entry : fs::directory_iterator(run / "results/embeddings"))
        QVERIFY2(entry.path().filename().string().find("partial") == std::string::npos, entry.path().c_str());
    // The same embeddings and metrics as the run's own record of that model.
    const auto original = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_run, "initial"));
    QVERIFY(torch::allclose(g->record().images, original.images, 1e-6, 1e-6));
    QVERIFY(torch::allclose(g->record().captions, original.captions, 1e-6, 1e-6));
    QCOMPARE(g->record().index["goals"].dump(), original.index["goals"].dump());
    QCOMPARE(readJsonFile(rec / "metrics.json")["attacks"][0]["attack"]["queries"].get<int>(), 4);
    // Cached: the next load reads it.
    QVERIFY(!open("initial", run)->computedNow());

    // Cancelled while embedding: no record, no partial folder.
    fs::remove_all(rec);
    CallbackProgress cancelling([](const ProgressEvent &) {});
    cancelling.cancel();
    QVERIFY_THROWS_EXCEPTION(CancelledError, RetrievalGallery::load({run, "initial", true}, cancelling));
    QVERIFY(!fs::exists(rec));
    for (const auto &entry : fs::directory_iterator(run / "results/embeddings"))
        QVERIFY2(entry.path().filename().string().find("partial") == std::string::npos, entry.path().c_str());
}

void TestRetrieval::cliJsonReproducesTheEvaluationRecord()
{
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_run, "final"));
    std::string cmd = test::binary("poisonlab-cli").string() + " -q retrieve '" + m_run.string() +
                      "' --json --k 1000 --query 'a sheep standing'";
    for (int c = 0; c < int(rec.captions.size(0)); ++c)
        cmd += " --caption-index " + std::to_string(c);
    std::string out;
    QCOMPARE(test::runCommand(cmd, &out), 0);
    QVERIFY2(out.find('{') != std::string::npos, out.c_str());
    const json r = json::parse(out.substr(out.find('{'))); // runCommand merges stderr (progress lines)
    QCOMPARE(r["model"].get<std::string>(), std::string("final"));
    QCOMPARE(r["queries"].size(), std::size_t(rec.captions.size(0) + 1));
    QCOMPARE(r["queries"][0]["query"].get<std::string>(), std::string("a sheep standing"));

    // Per caption: the rank of its own image (image retrieval) and, for the goal's queries, the
    // MinRank of its best target, from the printed rankings alone.
    std::vector<long long> ownRank;
    long long minRankSum = 0, hit1 = 0, hit10 = 0, queries = 0;
    for (std::size_t c = 0; c < std::size_t(rec.captions.size(0)); ++c) {
        const json &q = r["queries"][c + 1];
        QCOMPARE(q["caption_row"].get<std::size_t>(), c);
        QCOMPARE(q["images"].size(), std::size_t(rec.images.size(0)));
        long long best = -1;
        for (const auto &h : q["images"]) {
            if (h["row"].get<int>() == rec.captionImageRow[c])
                ownRank.push_back(h["rank"].get<long long>());
            if (h["target"].get<bool>() && h["class"] == "aeroplane" && best < 0)
                best = h["rank"].get<long long>(); // best first: the first target is the best
        }
        if (rec.index["captions"][c]["class"] == "sheep") {
            ++queries;
            minRankSum += best;
            hit1 += best < 1;
            hit10 += best < 10;
        }
    }
    const json &attack = rec.metrics["attacks"][0]["attack"];
    QCOMPARE(queries, attack["queries"].get<long long>());
    QCOMPARE(double(minRankSum) / double(queries), attack["minrank_mean"].get<double>());
    QCOMPARE(double(hit1) / double(queries), attack["hit@1"].get<double>());
    QCOMPARE(double(hit10) / double(queries), attack["hit@10"].get<double>());
    QCOMPARE(ownRank.size(), std::size_t(rec.captions.size(0)));
    for (int k : {1, 5}) {
        const auto within = std::count_if(ownRank.begin(), ownRank.end(), [k](long long v) { return v < k; });
        QCOMPARE(double(within) / double(ownRank.size()),
                 rec.metrics["utility"]["image_retrieval"]["r" + std::to_string(k)].get<double>());
    }
}

void TestRetrieval::cliRefusesBadInput_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no query") << ""
                              << "give at least one --query";
    QTest::newRow("untokenisable") << "--query ' '"
                                   << "tokenises to nothing";
    QTest::newRow("caption row") << "--caption-index 99"
                                 << "no caption row 99";
    QTest::newRow("unknown model") << "--model best --query sheep"
                                   << "final, initial or epoch-N";
}

void TestRetrieval::cliRefusesBadInput()
{
    QFETCH(QString, args);
    QFETCH(QString, message);
    std::string out;
    const std::string cmd =
        test::binary("poisonlab-cli").string() + " retrieve '" + m_run.string() + "' " + args.toStdString();
    QCOMPARE(test::runCommand(cmd, &out), 2);
    QVERIFY2(QString::fromStdString(out).contains(message), out.c_str());
    QCOMPARE(test::runCommand(test::binary("poisonlab-cli").string() + " retrieve /no/such/run --query x", &out), 2);
}

POISONLAB_TEST_MAIN(TestRetrieval)
#include "tst_retrieval.moc"
