// The Evaluator on a tiny CLIP and a small in-memory dataset: JSON layout, embeddings cached
// while the model is unchanged, train-split queries, and clear errors for bad goals.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/Evaluator.h"

#include <torch/torch.h>

using namespace poisonlab;
using namespace poisonlab::eval;

namespace {

constexpr int kVocab = 64;
const std::vector<std::string> kClasses = {"cat", "dog", "sheep", "aeroplane", "horse"};

clip::ClipModel tinyModel()
{
    clip::ClipConfig c;
    c.embedDim = 16;
    c.imageResolution = 32;
    c.visionLayers = {1};
    c.visionWidth = 64;
    c.visionPatchSize = 8;
    c.contextLength = 8;
    c.vocabSize = kVocab;
    c.transformerWidth = 32;
    c.transformerHeads = 2;
    c.transformerLayers = 1;
    torch::manual_seed(3);
    return clip::ClipModel(c);
}

class CountingImages final : public train::ImageSource {
public:
    torch::Tensor load(const std::vector<int> &images) override
    {
        loaded += int(images.size());
        auto out = torch::empty({std::int64_t(images.size()), 32, 32, 3}, torch::kUInt8);
        for (size_t b = 0; b < images.size(); ++b)
            out[long(b)].fill_(int(20 + (images[b] * 37) % 200));
        return out;
    }
    int resolution() const override { return 32; }
    int loaded = 0;
};

/// Test split: images 0..11 with labels i % 4 (no "horse"), two captions each. Train split:
/// images 12..15; caption of image 12 is a poisoned sheep caption now paired with image 13.
std::shared_ptr<data::Dataset> smallDataset()
{
    auto ds = std::make_shared<data::Dataset>();
    ds->name = "tiny";
    ds->classes = kClasses;
    for (int i = 0; i < 16; ++i) {
        data::ImageRecord im;
        im.path = "img" + std::to_string(i) + ".png";
        im.label = i < 12 ? i % 4 : (i == 12 ? 2 : 3);
        im.split = i < 12 ? data::Split::Test : data::Split::Train;
        ds->images.push_back(im);
        if (i < 12)
            for (int k = 0; k < 2; ++k)
                ds->captions.push_back(
                    {i, "a photo of a " + kClasses[size_t(i % 4)] + (k ? " outside" : ""), false, -1});
    }
    ds->captions.push_back({13, "a sheep in a field", true, 12});
    ds->captions.push_back({14, "an aeroplane", false, -1});
    return ds;
}

std::vector<std::int64_t> tokenize(const std::vector<std::string> &texts, int L)
{
    std::vector<std::int64_t> out(texts.size() * size_t(L), 0);
    for (size_t t = 0; t < texts.size(); ++t) {
        out[t * size_t(L)] = kVocab - 2;
        int pos = 1;
        for (size_t c = 0; c < kClasses.size(); ++c)
            if (texts[t].find(kClasses[c]) != std::string::npos)
                out[t * size_t(L) + size_t(pos++)] = std::int64_t(1 + c);
        out[t * size_t(L) + size_t(pos++)] = texts[t].find("outside") != std::string::npos ? 20 : 21;
        out[t * size_t(L) + size_t(pos)] = kVocab - 1;
    }
    return out;
}

template <typename Fn>
void expectError(Fn fn, const char *needle)
{
    try {
        fn();
        QFAIL("expected poisonlab::Error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
    }
}

} // namespace

class TestMetricsEvaluator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::set_num_threads(1); }
    void evaluatesSplitAndCaches();
    void metricsMatchTheSimilarityMatrix();
    void trainCaptionsAsQueries();
    void badGoalsNameWhatIsMissing();
    void poisonedCaptionOnATestImageIsNoTestQuery();
    void tiesOptionReachesEveryFigure();
};

void TestMetricsEvaluator::evaluatesSplitAndCaches()
{
    auto images = std::make_shared<CountingImages>();
    Evaluator ev(smallDataset(), data::Split::Test, images, tokenize);
    auto model = tinyModel();
    model->train();
    NullProgress progress;
    const nlohmann::json r =
        ev.evaluate(model, {GoalSpec{"", "sheep", {"aeroplane"}, -1, data::Split::None}}, progress).toJson();
    QVERIFY(model->is_training()); // restored
    QCOMPARE(r.at("gallery_images").get<int>(), 12);
    QCOMPARE(r.at("captions").get<int>(), 24);
    QCOMPARE(r.at("utility").at("image_retrieval").at("queries").get<int>(), 24);
    QCOMPARE(r.at("utility").at("text_retrieval").at("queries").get<int>(), 12);
    const auto &a = r.at("attacks").at(0);
    QCOMPARE(a.at("name").get<std::string>(), std::string("sheep->aeroplane"));
    QCOMPARE(a.at("attack").at("queries").get<int>(), 6);
    QCOMPARE(a.at("baseline").at("queries").get<int>(), 6);
    QCOMPARE(images->loaded, 12);

    // Unchanged model: no new forward pass.
    ev.evaluate(model, {}, progress);
    ev.utility(model, progress);
    QCOMPARE(images->loaded, 12);
    // A changed parameter (in place, as an optimizer step does): embedded again.
    {
        torch::NoGradGuard g;
        model->text_projection.add_(0.01);
    }
    ev.utility(model, progress);
    QCOMPARE(images->loaded, 24);
    const auto &e = ev.embed(model, progress);
    QVERIFY(torch::allclose(e.images.norm(2, 1), torch::ones({12}), 1e-5, 1e-5));
    QVERIFY(torch::allclose(e.captions.norm(2, 1), torch::ones({24}), 1e-5, 1e-5));
}

void TestMetricsEvaluator::metricsMatchTheSimilarityMatrix()
{
    auto ds = smallDataset();
    Evaluator ev(ds, data::Split::Test, std::make_shared<CountingImages>(), tokenize);
    auto model = tinyModel();
    NullProgress progress;
    torch::Tensor s = ev.similarity(model, progress);
    QCOMPARE(s.sizes().vec(), (std::vector<int64_t>{24, 12}));
    const auto &e = ev.embed(model, progress);
    // Caption c of the test split belongs to image c / 2, which is gallery column c / 2.
    for (size_t c = 0; c < e.captionColumn.size(); ++c)
        QCOMPARE(e.captionColumn[c], int(c / 2));
    // Image retrieval rank of caption 0 by brute force.
    auto row = s[0];
    const float own = row[0].item<float>();
    QCOMPARE(ev.utility(model, progress).imageRanks[0], (row > own).sum().item<std::int64_t>());
    // Attack I with a single target image in the gallery.
    AttackResult r = ev.attack(model, GoalSpec{"", "sheep", {}, 3, data::Split::None}, progress);
    QCOMPARE(r.attack.queries, std::int64_t(6));
    const auto rowQ = s[4]; // caption 4 = image 2 (sheep)
    QCOMPARE(r.attack.minRanks[0], (rowQ > rowQ[3].item<float>()).sum().item<std::int64_t>());
}

void TestMetricsEvaluator::trainCaptionsAsQueries()
{
    Evaluator ev(smallDataset(), data::Split::Test, std::make_shared<CountingImages>(), tokenize);
    auto model = tinyModel();
    NullProgress progress;
    // The poisoned train caption (originally of a sheep image) is a sheep query.
    AttackResult r = ev.attack(model, GoalSpec{"", "sheep", {"aeroplane"}, -1, data::Split::Train}, progress);
    QCOMPARE(r.attack.queries, std::int64_t(1));
    QCOMPARE(r.baseline.queries, std::int64_t(1));
}

// Attack I may move training captions onto a test image (x*): they stay training captions, so
// the test split's queries (and hence R@K and Hit@K) are those of the clean test split.
void TestMetricsEvaluator::poisonedCaptionOnATestImageIsNoTestQuery()
{
    auto ds = smallDataset();
    ds->captions.push_back({3, "a sheep grazing", true, 12}); // train image 12's caption, now on test image 3
    Evaluator ev(ds, data::Split::Test, std::make_shared<CountingImages>(), tokenize);
    auto model = tinyModel();
    NullProgress progress;
    const nlohmann::json r =
        ev.evaluate(model, {GoalSpec{"", "sheep", {"aeroplane"}, -1, data::Split::None}}, progress).toJson();
    QCOMPARE(r.at("captions").get<int>(), 24);
    QCOMPARE(r.at("attacks").at(0).at("attack").at("queries").get<int>(), 6);
    // As a training caption it is a query of the train split.
    AttackResult t = ev.attack(model, GoalSpec{"", "sheep", {"aeroplane"}, -1, data::Split::Train}, progress);
    QCOMPARE(t.attack.queries, std::int64_t(2));
}

void TestMetricsEvaluator::badGoalsNameWhatIsMissing()
{
    auto ds = smallDataset();
    Evaluator ev(ds, data::Split::Test, std::make_shared<CountingImages>(), tokenize);
    auto model = tinyModel();
    NullProgress progress;
    expectError(
        [&] {
            ev.attack(model, GoalSpec{"", "giraffe", {"aeroplane"}, -1, data::Split::None}, progress);
        },
        "class 'giraffe' is not a class of dataset 'tiny'");
    expectError(
        [&] {
            ev.attack(model, GoalSpec{"", "horse", {"aeroplane"}, -1, data::Split::None}, progress);
        },
        "class 'horse' has no captions in the test split");
    expectError(
        [&] {
            ev.attack(model, GoalSpec{"", "sheep", {"horse"}, -1, data::Split::None}, progress);
        },
        "target class 'horse' has no images in the test split gallery");
    expectError(
        [&] {
            ev.attack(model, GoalSpec{"", "sheep", {}, 14, data::Split::None}, progress);
        },
        "target image 14 (img14.png) is not in the test split gallery");
    // A test split where class A has most captions: too few baseline captions.
    auto lopsided = smallDataset();
    for (int i = 0; i < 12; ++i)
        lopsided->images[size_t(i)].label = i < 10 ? 2 : 3;
    Evaluator ev2(lopsided, data::Split::Test, std::make_shared<CountingImages>(), tokenize);
    expectError(
        [&] {
            ev2.attack(model, GoalSpec{"", "sheep", {"aeroplane"}, -1, data::Split::None}, progress);
        },
        "needs 20 test captions but only 4 are available");
}

void TestMetricsEvaluator::tiesOptionReachesEveryFigure()
{
    // The tokenizer keeps only class words, so each class's captions embed identically: an
    // image's best caption ties with the captions of the other images of its class.
    auto ds = smallDataset();
    auto model = tinyModel();
    NullProgress progress;
    const std::vector<GoalSpec> goals = {GoalSpec{"", "sheep", {"aeroplane"}, -1, data::Split::None}};
    EvaluationResult results[2];
    for (Ties ties : {Ties::Optimistic, Ties::Pessimistic}) {
        EvalOptions options;
        options.ties = ties;
        Evaluator ev(ds, data::Split::Test, std::make_shared<CountingImages>(), tokenize, options);
        EvaluationResult r = ev.evaluate(model, goals, progress);
        QCOMPARE(r.ties, std::optional<Ties>(ties));
        QCOMPARE(r.toJson().at("ties").get<std::string>(), std::string(tiesName(ties)));
        // The figures are the metrics of the similarity matrix under that rule.
        const torch::Tensor s = ev.similarity(model, progress);
        const SimilarityView view{s.data_ptr<float>(), s.size(0), s.size(1)};
        const RetrievalMetrics direct = computeRetrievalMetrics(view, ev.embed(model, progress).captionColumn, 1, ties);
        QCOMPARE(r.utility.textRetrieval.r1, direct.textRetrieval.r1);
        QCOMPARE(r.utility.textRetrieval.meanRank, direct.textRetrieval.meanRank);
        QCOMPARE(r.utility.imageRetrieval.meanRank, direct.imageRetrieval.meanRank);
        const ResolvedGoal g = ev.resolve(model, goals[0], progress);
        const RankSummary attack = summarizeMinRanks(rankQueries(view, g.queryRows, g.targetColumns, ties));
        const RankSummary baseline = summarizeMinRanks(rankQueries(view, g.baselineRows, g.targetColumns, ties));
        QCOMPARE(r.attacks.at(0).attack.minRankMean, attack.meanMinRank);
        QCOMPARE(r.attacks.at(0).baseline.minRankMean, baseline.meanMinRank);
        QCOMPARE(r.attacks.at(0).attack.tied, std::optional<std::int64_t>(attack.tied));
        results[ties == Ties::Pessimistic] = r;
    }
    // 12 images, three per class: every image ties with captions of the others of its class (how
    // many depends on the last bits of the matrix product, which need not repeat across rows).
    QCOMPARE(results[0].utility.textRetrieval.tied, std::optional<std::int64_t>(12));
    QCOMPARE(results[1].utility.textRetrieval.tied, std::optional<std::int64_t>(12));
    QVERIFY(results[1].utility.textRetrieval.meanRank > results[0].utility.textRetrieval.meanRank);
    QVERIFY(results[1].utility.textRetrieval.r1 < results[0].utility.textRetrieval.r1);
}

POISONLAB_TEST_MAIN(TestMetricsEvaluator)
#include "tst_metrics_evaluator.moc"
