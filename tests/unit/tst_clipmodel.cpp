// CLIP in LibTorch: OpenAI's parameter count, configs, the exact shortcuts of the towers,
// save -> load round trips, Hugging Face naming, weight mismatch reports, the loss.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipLoss.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/ClipOps.h"
#include "poisonlab/core/clip/ClipStateDict.h"
#include "poisonlab/core/clip/ClipTrainStep.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/clip/VisionTransformer.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::clip;
namespace fs = std::filesystem;

namespace {

ClipConfig tinyVit()
{
    ClipConfig c = ClipConfig::fromJson(nlohmann::json::parse(
        R"({"embed_dim": 16, "image_resolution": 32, "vision_layers": 2, "vision_width": 64, "vision_patch_size": 8,
            "context_length": 12, "vocab_size": 50, "transformer_width": 64, "transformer_heads": 1,
            "transformer_layers": 2})"));
    return c;
}

ClipConfig tinyResNet()
{
    return ClipConfig::fromJson(nlohmann::json::parse(
        R"({"embed_dim": 16, "image_resolution": 64, "vision_layers": [1, 1, 2, 1], "vision_width": 8,
            "vision_patch_size": null, "context_length": 12, "vocab_size": 50, "transformer_width": 64,
            "transformer_heads": 1, "transformer_layers": 1})"));
}

// Rows of `len` tokens: start (vocab-2), words, end-of-text (vocab-1), zeros up to the context.
torch::Tensor tokenRows(const ClipConfig &c, const std::vector<int> &lengths)
{
    torch::Tensor t = torch::zeros({static_cast<int64_t>(lengths.size()), c.contextLength}, torch::kLong);
    for (size_t i = 0; i < lengths.size(); ++i) {
        t[i][0] = c.vocabSize - 2;
        for (int j = 1; j + 1 < lengths[i]; ++j)
            t[i][j] = 1 + (7 * j + 3 * static_cast<int>(i)) % (c.vocabSize - 3);
        t[i][lengths[i] - 1] = c.vocabSize - 1;
    }
    return t;
}

// Moves every parameter and buffer off its initial value so round trips check real data.
void randomise(ClipModel &m)
{
    torch::NoGradGuard g;
    for (auto &p : m->parameters())
        p.add_(torch::randn_like(p) * 0.02);
    for (auto &b : m->buffers())
        if (b.is_floating_point())
            b.add_(torch::rand_like(b) * 0.1);
}

double relErr(const torch::Tensor &a, const torch::Tensor &b)
{
    return ((a - b).norm() / b.norm()).item<double>();
}

} // namespace

class TestClipModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void vitB32HasOpenAisParameterCount();
    void configJsonRoundTrip();
    void badConfigsAreRejected_data();
    void badConfigsAreRejected();
    void textShortcutsAreExact();
    void imageShortcutIsExact();
    void saveLoadRoundTripIsExact_data();
    void saveLoadRoundTripIsExact();
    void configInferredLikeBuildModel_data();
    void configInferredLikeBuildModel();
    void huggingFaceNamingGivesSameEmbeddings();
    void mismatchedWeightsAreListed();
    void lossMatchesDefinition();
    void trainStepLowersLoss();
};

void TestClipModel::vitB32HasOpenAisParameterCount()
{
    ClipModel m(ClipConfig::preset("ViT-B/32"));
    QCOMPARE(parameterCount(*m), int64_t(151277313));
}

void TestClipModel::configJsonRoundTrip()
{
    for (const auto &name : ClipConfig::presetNames()) {
        const ClipConfig c = ClipConfig::preset(name);
        QVERIFY2(ClipConfig::fromJson(c.toJson()) == c, name.c_str());
    }
    QVERIFY(ClipConfig::preset("RN50").toJson()["vision_patch_size"].is_null());
    QCOMPARE(ClipConfig::preset("RN101").visionLayers, std::vector<int>({3, 4, 23, 3}));
}

void TestClipModel::badConfigsAreRejected_data()
{
    QTest::addColumn<QString>("patch"); // JSON merged into a good config
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << R"({"vision_heads": 12})"
                                 << "unknown key \"vision_heads\"";
    QTest::newRow("string") << R"({"embed_dim": "512"})"
                            << "\"embed_dim\" must be an integer";
    QTest::newRow("float") << R"({"vocab_size": 1.5})"
                           << "\"vocab_size\" must be an integer";
    QTest::newRow("three layers") << R"({"vision_layers": [1, 2, 3]})"
                                  << "list of four";
    QTest::newRow("heads") << R"({"transformer_heads": 3})"
                           << "not divisible by transformer_heads";
    QTest::newRow("patch") << R"({"vision_patch_size": 5})"
                           << "not divisible by vision_patch_size";
    QTest::newRow("missing") << R"({"context_length": null})"
                             << "\"context_length\" must be an integer";
}

void TestClipModel::badConfigsAreRejected()
{
    QFETCH(QString, patch);
    QFETCH(QString, expected);
    nlohmann::json j = ClipConfig::preset("ViT-B/32").toJson();
    j.merge_patch(nlohmann::json::parse(patch.toStdString()));
    if (patch.contains("null"))
        j["context_length"] = nullptr;
    try {
        ClipConfig::fromJson(j);
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
    }
}

void TestClipModel::textShortcutsAreExact()
{
    // encodeText cuts after the batch's last end-of-text and computes only the end-of-text rows in
    // the last block. OpenAI's full computation over the whole context must give the same features.
    torch::manual_seed(1);
    ClipModel m(tinyVit());
    randomise(m);
    m->eval();
    torch::NoGradGuard g;
    const torch::Tensor tokens = tokenRows(m->config(), {3, 7, 5, 2});
    const torch::Tensor fast = m->encodeText(tokens);

    const int64_t ctx = m->config().contextLength;
    torch::Tensor x = m->token_embedding->forward(tokens) + m->positional_embedding;
    x = m->transformer->forward(x, ops::causalMask(ctx, x.options()));
    x = m->ln_final->forward(x);
    const torch::Tensor full = x.index({torch::arange(4), tokens.argmax(-1)}).mm(m->text_projection);
    QVERIFY2(relErr(fast, full) < 1e-6, std::to_string(relErr(fast, full)).c_str());

    // A row alone (cut to its own length) equals the row in a longer batch.
    const torch::Tensor alone = m->encodeText(tokens.narrow(0, 3, 1));
    QVERIFY(relErr(alone, fast.narrow(0, 3, 1)) < 1e-6);
}

void TestClipModel::imageShortcutIsExact()
{
    torch::manual_seed(2);
    ClipModel m(tinyVit());
    randomise(m);
    m->eval();
    torch::NoGradGuard g;
    const torch::Tensor pixels = torch::randn({3, 3, 32, 32});
    auto vit = std::dynamic_pointer_cast<VisionTransformerImpl>(m->visual().shared_from_this());
    QVERIFY(vit);
    torch::Tensor x = vit->conv1->forward(pixels).flatten(2).transpose(1, 2);
    x = torch::cat({vit->class_embedding.view({1, 1, -1}).expand({3, 1, 64}), x}, 1) + vit->positional_embedding;
    x = vit->transformer->forward(vit->ln_pre->forward(x));
    const torch::Tensor full = vit->ln_post->forward(x.select(1, 0)).mm(vit->proj);
    QVERIFY(relErr(m->encodeImage(pixels), full) < 1e-6);
}

void TestClipModel::saveLoadRoundTripIsExact_data()
{
    QTest::addColumn<bool>("vit");
    QTest::newRow("ViT") << true;
    QTest::newRow("ModifiedResNet") << false;
}

void TestClipModel::saveLoadRoundTripIsExact()
{
    QFETCH(bool, vit);
    torch::manual_seed(3);
    ClipModel m(vit ? tinyVit() : tinyResNet());
    randomise(m);
    m->eval();
    test::TempDir dir;
    const fs::path file = dir / "ckpt/model.safetensors";
    const nlohmann::json provenance = {{"attack", "I"}, {"epochs", 3}};
    saveClip(file, m, nullptr, provenance);
    QVERIFY(fs::exists(sidecarPath(file)));

    LoadedClip loaded = loadClip(file);
    QVERIFY(loaded.config == m->config());
    QCOMPARE(loaded.provenance["history"], provenance);
    QVERIFY(!loaded.tokenizer);
    const NamedTensors a = stateDict(*m), b = stateDict(*loaded.model);
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].first, b[i].first);
        QVERIFY2(torch::equal(a[i].second, b[i].second), a[i].first.c_str());
    }
    torch::NoGradGuard g;
    const int r = m->config().imageResolution;
    const torch::Tensor pixels = torch::randn({2, 3, r, r});
    const torch::Tensor tokens = tokenRows(m->config(), {4, 6});
    QVERIFY(torch::equal(m->encodeImage(pixels), loaded.model->encodeImage(pixels)));
    QVERIFY(torch::equal(m->encodeText(tokens), loaded.model->encodeText(tokens)));

    // Without the sidecar the config comes from the file's metadata.
    fs::remove(sidecarPath(file));
    QVERIFY(loadClip(file).config == m->config());
}

void TestClipModel::configInferredLikeBuildModel_data()
{
    saveLoadRoundTripIsExact_data();
}

void TestClipModel::configInferredLikeBuildModel()
{
    QFETCH(bool, vit);
    ClipModel m(vit ? tinyVit() : tinyResNet());
    // A bare state dict (no sidecar, no metadata), as open_clip or OpenAI would write it.
    QVERIFY(inferClipConfig(stateDict(*m), "x") == m->config());
    test::TempDir dir;
    Safetensors::write(dir / "bare.safetensors", stateDict(*m));
    QVERIFY(loadClip(dir / "bare.safetensors").config == m->config());
}

void TestClipModel::huggingFaceNamingGivesSameEmbeddings()
{
    torch::manual_seed(4);
    const ClipConfig c = tinyVit();
    ClipModel m(c);
    randomise(m);
    m->eval();
    test::TempDir dir;
    const NamedTensors hf = openAiToHuggingFace(stateDict(*m));
    for (const auto &[k, v] : hf)
        QVERIFY2(k.find("q_proj") != std::string::npos || k.find("in_proj") == std::string::npos, k.c_str());
    Safetensors::write(dir / "hf/model.safetensors", hf, {{"format", "pt"}});
    const nlohmann::json config = {{"model_type", "clip"},
                                   {"projection_dim", c.embedDim},
                                   {"text_config",
                                    {{"hidden_size", c.transformerWidth},
                                     {"intermediate_size", 4 * c.transformerWidth},
                                     {"num_attention_heads", c.transformerHeads},
                                     {"num_hidden_layers", c.transformerLayers},
                                     {"max_position_embeddings", c.contextLength},
                                     {"vocab_size", c.vocabSize},
                                     {"hidden_act", "quick_gelu"}}},
                                   {"vision_config",
                                    {{"hidden_size", c.visionWidth},
                                     {"intermediate_size", 4 * c.visionWidth},
                                     {"num_attention_heads", c.visionWidth / 64},
                                     {"num_hidden_layers", c.visionLayers[0]},
                                     {"image_size", c.imageResolution},
                                     {"patch_size", c.visionPatchSize},
                                     {"hidden_act", "quick_gelu"}}}};
    writeJsonAtomically(dir / "hf/config.json", config);
    LoadedClip loaded = loadClip(dir / "hf");
    QVERIFY(loaded.config == c);
    torch::NoGradGuard g;
    const torch::Tensor pixels = torch::randn({2, 3, 32, 32});
    const torch::Tensor tokens = tokenRows(c, {5, 9});
    QVERIFY(torch::equal(m->encodeImage(pixels), loaded.model->encodeImage(pixels)));
    QVERIFY(torch::equal(m->encodeText(tokens), loaded.model->encodeText(tokens)));

    // A GELU (not QuickGELU) model is another function: refused, naming config.json.
    nlohmann::json gelu = config;
    gelu["text_config"]["hidden_act"] = "gelu";
    writeJsonAtomically(dir / "hf/config.json", gelu);
    try {
        loadClip(dir / "hf");
        QFAIL("gelu accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("config.json") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("quick_gelu") != std::string::npos, e.what());
    }
}

void TestClipModel::mismatchedWeightsAreListed()
{
    ClipModel m(tinyVit());
    NamedTensors sd = stateDict(*m);
    NamedTensors edited;
    for (auto &[k, v] : sd) {
        if (k == "ln_final.bias")
            continue; // missing
        if (k == "visual.proj")
            edited.emplace_back(k, torch::zeros({64, 17})); // wrong shape
        else
            edited.emplace_back(k, v);
    }
    edited.emplace_back("visual.extra_head.weight", torch::zeros({2})); // unexpected
    test::TempDir dir;
    Safetensors::write(dir / "bad.safetensors", edited, {{"clip_config", m->config().toJson().dump()}});
    try {
        loadClip(dir / "bad.safetensors");
        QFAIL("mismatched weights accepted");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find("bad.safetensors") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("missing keys (1): ln_final.bias") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("unexpected keys (1): visual.extra_head.weight") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("shape mismatches (1): visual.proj (file [64, 17], model [64, 16])") != std::string::npos,
                 msg.c_str());
    }
}

void TestClipModel::lossMatchesDefinition()
{
    torch::manual_seed(5);
    const torch::Tensor img = torch::randn({4, 8}, torch::kDouble), txt = torch::randn({4, 8}, torch::kDouble);
    const torch::Tensor scale = torch::full({}, 2.0, torch::kDouble);
    double expected = 0;
    const auto a = img / img.norm(2, 1, true), b = txt / txt.norm(2, 1, true);
    for (int dir = 0; dir < 2; ++dir) {
        const auto logits = (dir == 0 ? a.mm(b.t()) : b.mm(a.t())) * std::exp(2.0);
        for (int i = 0; i < 4; ++i) {
            double lse = 0;
            for (int j = 0; j < 4; ++j)
                lse += std::exp(logits[i][j].item<double>());
            expected += (std::log(lse) - logits[i][i].item<double>()) / 4 / 2;
        }
    }
    QVERIFY(std::abs(clipContrastiveLoss(img, txt, scale).item<double>() - expected) < 1e-12);
}

void TestClipModel::trainStepLowersLoss()
{
    torch::manual_seed(6);
    ClipModel m(tinyVit());
    ClipTrainStep step(m, ClipTrainStepOptions().lr(1e-3));
    const torch::Tensor pixels = torch::randn({6, 3, 32, 32});
    const torch::Tensor tokens = tokenRows(m->config(), {3, 4, 5, 6, 7, 8});
    const double first = step.step(pixels, tokens);
    double last = first;
    for (int i = 0; i < 8; ++i)
        last = step.step(pixels, tokens);
    QVERIFY2(last < first - 0.1, (std::to_string(first) + " -> " + std::to_string(last)).c_str());
}

POISONLAB_TEST_MAIN(TestClipModel)
#include "tst_clipmodel.moc"
