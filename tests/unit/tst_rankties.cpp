// evaluation.options.ties: the optimistic rule (strictly higher scores) and the pessimistic one
// (every other item scoring higher or equal) on hand-computed matrices with equal scores
// (tests/data/eval/tie_cases.json: duplicated captions, a row of equal scores, ties across the
// R@5 / Hit@5 boundary), the per-query tie counts, the option's and the document's JSON, and the
// numpy script recomputing both modes from an evaluation record.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/analysis/MinRankGrid.h"
#include "poisonlab/core/eval/AttackMetrics.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/eval/RetrievalMetrics.h"
#include "poisonlab/core/eval/RetrievalRanking.h"

#include <nlohmann/json.hpp>

#include <functional>

using namespace poisonlab;
using namespace poisonlab::eval;
using nlohmann::json;
namespace fs = std::filesystem;

using poisonlab::test::errorOf;

namespace {

struct Matrix {
    std::vector<float> data;
    std::int64_t rows = 0, cols = 0;
    SimilarityView view() const { return {data.data(), rows, cols}; }
};

Matrix fromJson(const json &rows)
{
    Matrix m;
    m.rows = std::int64_t(rows.size());
    m.cols = std::int64_t(rows.at(0).size());
    for (const auto &r : rows)
        for (const auto &v : r)
            m.data.push_back(v.get<float>());
    return m;
}

json tieCases(const char *kind)
{
    return readJsonFile(test::testDataDir() / "eval" / "tie_cases.json").at(kind);
}

void addCaseRows(const char *kind)
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("mode");
    const json cases = tieCases(kind);
    for (std::size_t i = 0; i < cases.size(); ++i)
        for (const char *mode : {"optimistic", "pessimistic"})
            QTest::newRow((cases[i].at("name").get<std::string>() + ", " + mode).c_str()) << int(i) << mode;
}

Ties modeOf(const QString &mode)
{
    return *parseTies(mode.toStdString());
}

} // namespace

class TestRankTies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retrievalRanksFollowTheMode_data();
    void retrievalRanksFollowTheMode();
    void attackRanksFollowTheMode_data();
    void attackRanksFollowTheMode();
    void optionsJson();
    void badTiesValueIsNamed_data();
    void badTiesValueIsNamed();
    void documentKeepsModeAndTieCounts();
    void numpyScriptRecomputesBothModes_data();
    void numpyScriptRecomputesBothModes();
    void topRankedSharesTheModesRank_data();
    void topRankedSharesTheModesRank();
    void minRankGridMatchesGoals_data();
    void minRankGridMatchesGoals();
};

void TestRankTies::retrievalRanksFollowTheMode_data()
{
    addCaseRows("retrieval");
}

void TestRankTies::retrievalRanksFollowTheMode()
{
    QFETCH(int, index);
    QFETCH(QString, mode);
    const json c = tieCases("retrieval").at(std::size_t(index));
    const json &e = c.at(mode.toStdString());
    const Matrix m = fromJson(c.at("sims"));
    for (int threads : {1, 2}) {
        const RetrievalMetrics r =
            computeRetrievalMetrics(m.view(), c.at("caption_image").get<std::vector<int>>(), threads, modeOf(mode));
        QCOMPARE(r.imageRanks, e.at("image_ranks").get<std::vector<std::int64_t>>());
        QCOMPARE(r.textRanks, e.at("text_ranks").get<std::vector<std::int64_t>>());
        QCOMPARE(r.imageRetrieval.r1, e.at("image_r1").get<double>());
        QCOMPARE(r.imageRetrieval.r5, e.at("image_r5").get<double>());
        QCOMPARE(r.textRetrieval.r1, e.at("text_r1").get<double>());
        QCOMPARE(r.textRetrieval.r5, e.at("text_r5").get<double>());
        // The tie counts do not depend on the mode: the queries the two rules differ on.
        QCOMPARE(r.imageRetrieval.tied, c.at("image_tied").get<std::int64_t>());
        QCOMPARE(r.textRetrieval.tied, c.at("text_tied").get<std::int64_t>());
        QCOMPARE(r.ties, modeOf(mode));
    }
}

void TestRankTies::attackRanksFollowTheMode_data()
{
    addCaseRows("attack");
}

void TestRankTies::attackRanksFollowTheMode()
{
    QFETCH(int, index);
    QFETCH(QString, mode);
    const json c = tieCases("attack").at(std::size_t(index));
    const json &e = c.at(mode.toStdString());
    const Matrix m = fromJson(c.at("sims"));
    const auto queries = c.at("queries").get<std::vector<int>>();
    const auto targets = c.at("targets").get<std::vector<int>>();
    const QueryRanks ranks = rankQueries(m.view(), queries, targets, modeOf(mode));
    QCOMPARE(ranks.ranks, e.at("minranks").get<std::vector<std::int64_t>>());
    QCOMPARE(ranks.tied, c.at("tied").get<std::int64_t>());
    QCOMPARE(minRanks(m.view(), queries, targets, modeOf(mode)), ranks.ranks);

    // The goal and its random-caption baseline: the baseline draws every query row (as many
    // candidates as queries), so it holds the same ranks in another order.
    const AttackResult r =
        evaluateAttack(m.view(), AttackGoal{"a->b", queries, targets}, queries, 3, {1, 5, 10}, modeOf(mode));
    for (const RankSummary *s : {&r.attack, &r.baseline}) {
        for (int k : {1, 5, 10})
            QCOMPARE(s->hitAt(k), e.at("hit@" + std::to_string(k)).get<double>());
        QCOMPARE(s->meanMinRank, e.at("minrank_mean").get<double>());
        QCOMPARE(s->medianMinRank, e.at("minrank_median").get<double>());
        QCOMPARE(s->minMinRank, e.at("minrank_min").get<std::int64_t>());
        QCOMPARE(s->maxMinRank, e.at("minrank_max").get<std::int64_t>());
        QCOMPARE(s->tied, c.at("tied").get<std::int64_t>());
    }
    const json j = r.toJson();
    QCOMPARE(j.at("attack").at("tied").get<std::int64_t>(), c.at("tied").get<std::int64_t>());
    QCOMPARE(j.at("baseline").at("tied").get<std::int64_t>(), c.at("tied").get<std::int64_t>());
}

void TestRankTies::optionsJson()
{
    QCOMPARE(EvalOptions{}.ties, Ties::Optimistic);
    QCOMPARE(EvalOptions{}.toJson().at("ties").get<std::string>(), std::string("optimistic"));
    QCOMPARE(EvalOptions::fromJson(json::object()).ties, Ties::Optimistic);
    const EvalOptions o = EvalOptions::fromJson({{"ties", "pessimistic"}, {"hitKs", {1, 10}}});
    QCOMPARE(o.ties, Ties::Pessimistic);
    QCOMPARE(o.toJson().at("ties").get<std::string>(), std::string("pessimistic"));
    QCOMPARE(EvalOptions::fromJson(o.toJson()).toJson().dump(), o.toJson().dump());
}

void TestRankTies::badTiesValueIsNamed_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("unknown word") << "\"stable\"";
    QTest::newRow("capitalised") << "\"Pessimistic\"";
    QTest::newRow("not a string") << "true";
}

void TestRankTies::badTiesValueIsNamed()
{
    QFETCH(QString, value);
    const json v = json::parse(value.toStdString());
    const std::string options = errorOf([&] { EvalOptions::fromJson({{"ties", v}}); });
    for (const std::string &needle :
         {std::string("'ties'"), v.dump(), std::string("\"optimistic\""), std::string("\"pessimistic\"")})
        QVERIFY2(options.find(needle) != std::string::npos, options.c_str());
    json doc = {{"utility", json::object()}, {"ties", v}};
    const std::string document = errorOf([&] { EvaluationResult::fromJson(doc); });
    QVERIFY2(document.find("\"ties\"") != std::string::npos && document.find("\"pessimistic\"") != std::string::npos,
             document.c_str());
}

void TestRankTies::documentKeepsModeAndTieCounts()
{
    const json c = tieCases("retrieval").at(0);
    const Matrix m = fromJson(c.at("sims"));
    EvaluationResult r;
    r.ties = Ties::Pessimistic;
    r.utility = UtilityFigures::from(
        computeRetrievalMetrics(m.view(), c.at("caption_image").get<std::vector<int>>(), 1, Ties::Pessimistic));
    const json a = tieCases("attack").at(0);
    const Matrix am = fromJson(a.at("sims"));
    const auto q = a.at("queries").get<std::vector<int>>();
    AttackFigures goal;
    goal.name = "a->b";
    goal.attack = RankFigures::from(
        summarizeMinRanks(rankQueries(am.view(), q, a.at("targets").get<std::vector<int>>(), Ties::Pessimistic)));
    r.attacks.push_back(goal);

    const json j = r.toJson();
    QCOMPARE(j.at("ties").get<std::string>(), std::string("pessimistic"));
    QCOMPARE(j.at("utility").at("text_retrieval").at("tied").get<int>(), 1);
    QCOMPARE(j.at("utility").at("image_retrieval").at("tied").get<int>(), 1);
    QCOMPARE(j.at("attacks").at(0).at("attack").at("tied").get<int>(), 2);
    const EvaluationResult back = EvaluationResult::fromJson(j);
    QCOMPARE(back.ties, std::optional<Ties>(Ties::Pessimistic));
    QCOMPARE(back.utility.textRetrieval.tied, std::optional<std::int64_t>(1));
    QCOMPARE(back.attacks.at(0).attack.tied, std::optional<std::int64_t>(2));
    QCOMPARE(back.toJson().dump(), j.dump());
    // A document from before the option has neither; it stays without them.
    json old = j;
    old.erase("ties");
    old["utility"]["text_retrieval"].erase("tied");
    const EvaluationResult oldBack = EvaluationResult::fromJson(old);
    QVERIFY(!oldBack.ties);
    QVERIFY(!oldBack.utility.textRetrieval.tied);
    QCOMPARE(oldBack.toJson().dump(), old.dump());
}

void TestRankTies::numpyScriptRecomputesBothModes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("other");
    QTest::newRow("optimistic record") << "optimistic"
                                       << "pessimistic";
    QTest::newRow("pessimistic record") << "pessimistic"
                                        << "optimistic";
}

void TestRankTies::numpyScriptRecomputesBothModes()
{
    QFETCH(QString, mode);
    QFETCH(QString, other);
    if (test::runCommand("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") != 0) {
        if (test::runningInCi())
            QFAIL("/usr/bin/python3 with numpy is needed and CI=true");
        QSKIP("/usr/bin/python3 with numpy is absent");
    }
    // Four one-hot images (classes a, a, b, b) and six unit captions whose scores are their
    // coordinates, exact in any summation order: caption 2 repeats caption 1 on another image,
    // caption 4 scores every image 0.5, caption 3 ties the targets' 0 with image 3.
    const std::vector<std::vector<float>> captions = {{0.8f, 0.6f, 0, 0}, {0.6f, 0.8f, 0, 0},       {0.6f, 0.8f, 0, 0},
                                                      {0, 0, 1, 0},       {0.5f, 0.5f, 0.5f, 0.5f}, {0, 0.6f, 0, 0.8f}};
    const std::vector<int> captionImage = {0, 0, 1, 2, 3, 3};
    const std::vector<std::string> imageClass = {"a", "a", "b", "b"};
    Matrix s;
    s.rows = 6;
    s.cols = 4;
    for (const auto &c : captions)
        s.data.insert(s.data.end(), c.begin(), c.end()); // c . e_i = c[i]
    std::vector<float> images(16, 0.f);
    for (int i = 0; i < 4; ++i)
        images[std::size_t(i * 5)] = 1.f;

    const std::vector<int> queries = {3, 4, 5}, targets = {0, 1}, candidates = {0, 1, 2};
    auto evaluate = [&](Ties ties) {
        EvalOptions options;
        options.ties = ties;
        EvaluationResult r;
        r.split = "test";
        r.ties = ties;
        r.galleryImages = 4;
        r.captions = 6;
        r.utility = UtilityFigures::from(computeRetrievalMetrics(s.view(), captionImage, 1, ties));
        const AttackResult a = evaluateAttack(s.view(), AttackGoal{"b->a", queries, targets}, candidates,
                                              options.baselineSeed, options.hitKs, ties);
        AttackFigures g;
        g.name = "b->a";
        g.sourceClass = "b";
        g.targetClasses = std::vector<std::string>{"a"};
        g.querySplit = "test";
        g.attack = RankFigures::from(a.attack);
        g.baseline = RankFigures::from(a.baseline);
        r.attacks.push_back(g);
        return std::make_pair(r, a.baselineRows);
    };
    const auto [result, baselineRows] = evaluate(modeOf(mode));
    QCOMPARE(result.utility.textRetrieval.tied, std::optional<std::int64_t>(1));
    QCOMPARE(result.attacks[0].attack.tied, std::optional<std::int64_t>(2));

    test::TempDir dir;
    writeNpy(dir / "images.npy", images.data(), {4, 4});
    writeNpy(dir / "captions.npy", s.data.data(), {6, 4});
    json index = {{"split", "test"}, {"images", json::array()}, {"captions", json::array()}};
    for (int i = 0; i < 4; ++i)
        index["images"].push_back({{"row", i}, {"image", i}, {"class", imageClass[std::size_t(i)]}});
    for (int c = 0; c < 6; ++c)
        index["captions"].push_back(
            {{"row", c}, {"image_row", captionImage[std::size_t(c)]}, {"class", imageClass[captionImage[c]]}});
    EvalOptions options;
    options.ties = modeOf(mode);
    index["eval_options"] = options.toJson();
    index["goals"] = {{{"name", "b->a"},
                       {"source", "b"},
                       {"targets", {"a"}},
                       {"target_image_row", -1},
                       {"query_split", "test"},
                       {"target_rows", targets},
                       {"query_rows", queries},
                       {"baseline_rows", baselineRows}}};
    writeJsonAtomically(dir / "index.json", index);
    writeJsonAtomically(dir / "metrics.json", result.toJson());

    const fs::path script = fs::path(POISONLAB_SOURCE_DIR) / "tests/scripts/recompute_metrics.py";
    std::string out;
    int rc = test::runCommand("/usr/bin/python3 '" + script.string() + "' '" + dir.path().string() + "' 2>&1", &out);
    QVERIFY2(rc == 0 && out.find("1 record(s) checked, 0 disagreement(s)") != std::string::npos, out.c_str());

    // The other mode from the same record: the script's figures are ours in that mode.
    rc = test::runCommand("/usr/bin/python3 '" + script.string() + "' --ties " + other.toStdString() + " '" +
                              dir.path().string() + "' 2>/dev/null",
                          &out);
    QCOMPARE(rc, 0);
    const json printed = json::parse(out.substr(0, out.find('\n'))).at("metrics"); // then its summary line
    const EvaluationResult expected = evaluate(modeOf(other)).first;
    QCOMPARE(printed.at("ties").get<std::string>(), other.toStdString());
    QCOMPARE(printed["utility"]["text_retrieval"]["r1"].get<double>(), expected.utility.textRetrieval.r1);
    QCOMPARE(printed["utility"]["image_retrieval"]["mean_rank"].get<double>(),
             expected.utility.imageRetrieval.meanRank);
    QCOMPARE(printed["attacks"][0]["attack"]["minrank_mean"].get<double>(), expected.attacks[0].attack.minRankMean);
    QCOMPARE(printed["attacks"][0]["baseline"]["hit@1"].get<double>(), expected.attacks[0].baseline.hitAt(1));
    QVERIFY(expected.utility.textRetrieval.r1 != result.utility.textRetrieval.r1);
}

void TestRankTies::topRankedSharesTheModesRank_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("k");
    QTest::addColumn<std::vector<std::int64_t>>("ranks");
    // Scores 0.9 (item 0), 0.7 (3), then 0.5 three times (1, 2, 4), then 0.1 (5).
    QTest::newRow("optimistic, all") << "optimistic" << 0 << std::vector<std::int64_t>{0, 1, 2, 2, 2, 5};
    QTest::newRow("pessimistic, all") << "pessimistic" << 0 << std::vector<std::int64_t>{0, 1, 4, 4, 4, 5};
    // The top 3 cut the tied group: its rank still counts the two tied items left out.
    QTest::newRow("optimistic, top 3") << "optimistic" << 3 << std::vector<std::int64_t>{0, 1, 2};
    QTest::newRow("pessimistic, top 3") << "pessimistic" << 3 << std::vector<std::int64_t>{0, 1, 4};
}

void TestRankTies::topRankedSharesTheModesRank()
{
    QFETCH(QString, mode);
    QFETCH(int, k);
    QFETCH(std::vector<std::int64_t>, ranks);
    const float scores[] = {0.9f, 0.5f, 0.5f, 0.7f, 0.5f, 0.1f};
    const auto top = topRanked(scores, 6, k, modeOf(mode));
    std::vector<std::int64_t> got;
    for (const auto &item : top) {
        got.push_back(item.rank);
        // The rank a metric counts for that item as its target.
        QCOMPARE(item.rank, countRank(scores, 6, item.score).rank(modeOf(mode), 1));
    }
    QCOMPARE(got, ranks);
}

void TestRankTies::minRankGridMatchesGoals_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("optimistic") << "optimistic";
    QTest::newRow("pessimistic") << "pessimistic";
}

void TestRankTies::minRankGridMatchesGoals()
{
    QFETCH(QString, mode);
    // Captions x images with equal scores: rows 0-2 of class 0, rows 3-4 of class 1; images 0, 1
    // of class 0, 2, 3 of class 1, 4 of class 2. Row 0 ties across classes, row 3 scores all 0.5.
    const Matrix m = fromJson(json::parse(R"([[0.5, 0.2, 0.5, 0.1, 0.5], [0.9, 0.1, 0.3, 0.3, 0.2],
        [0.1, 0.4, 0.4, 0.4, 0.0], [0.5, 0.5, 0.5, 0.5, 0.5], [0.2, 0.6, 0.6, 0.1, 0.6]])"));
    const std::vector<int> captionClass = {0, 0, 0, 1, 1}, imageClass = {0, 0, 1, 1, 2};
    const auto grid = analysis::minRankGrid(m.view(), captionClass, imageClass, {"a", "b", "c"}, 2, modeOf(mode));
    QCOMPARE(grid.ties, modeOf(mode));
    QCOMPARE(grid.toJson().at("ties").get<std::string>(), mode.toStdString());
    int differ = 0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 3; ++b) {
            std::vector<int> queries, targets;
            for (int c = 0; c < 5; ++c)
                if (captionClass[std::size_t(c)] == a)
                    queries.push_back(c);
            for (int i = 0; i < 5; ++i)
                if (imageClass[std::size_t(i)] == b)
                    targets.push_back(i);
            const RankSummary goal = summarizeMinRanks(rankQueries(m.view(), queries, targets, modeOf(mode)), {2});
            QCOMPARE(*grid.minRankMean[std::size_t(a)][std::size_t(b)], goal.meanMinRank);
            QCOMPARE(*grid.hitAtK[std::size_t(a)][std::size_t(b)], goal.hitAt(2));
            differ += goal.tied > 0;
        }
    QVERIFY(differ >= 3); // the cases hold ties that the two modes rank differently
}

POISONLAB_TEST_MAIN(TestRankTies)
#include "tst_rankties.moc"
