// clip::describeModel: the towers, sizes and parameter count the Train panel shows for starting
// weights (ViT and ResNet, from a saved checkpoint); train::availableDevices: the CPU first, then
// one entry per CUDA device LibTorch reports.
#include "TestSupport.h"

#include "poisonlab/core/clip/ClipDescription.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/train/ComputeDevices.h"

#include <nlohmann/json.hpp>
#include <torch/cuda.h>

using namespace poisonlab;
using namespace poisonlab::clip;

class TestClipDescription : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void describesASavedModel_data();
    void describesASavedModel();
    void vitB32Lines();
    void devicesListTheCpuThenCuda();
};

void TestClipDescription::describesASavedModel_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("tower");
    QTest::addColumn<int>("visionHeads");
    QTest::addColumn<int>("patch");
    QTest::newRow("vit") << R"({"embed_dim": 16, "image_resolution": 32, "vision_layers": 2, "vision_width": 64,
        "vision_patch_size": 8, "context_length": 12, "vocab_size": 50, "transformer_width": 64,
        "transformer_heads": 2, "transformer_layers": 3})"
                         << "ViT" << 1 << 8;
    QTest::newRow("resnet") << R"({"embed_dim": 16, "image_resolution": 64, "vision_layers": [1, 1, 2, 1],
        "vision_width": 8, "vision_patch_size": null, "context_length": 12, "vocab_size": 50,
        "transformer_width": 64, "transformer_heads": 2, "transformer_layers": 3})"
                            << "ResNet" << 4 << 0;
}

void TestClipDescription::describesASavedModel()
{
    QFETCH(QString, config);
    QFETCH(QString, tower);
    QFETCH(int, visionHeads);
    QFETCH(int, patch);
    const ClipConfig c = ClipConfig::fromJson(nlohmann::json::parse(config.toStdString()));
    test::TempDir dir;
    const auto file = dir / "m.safetensors";
    ClipModel model(c);
    saveClip(file, model, nullptr, nlohmann::json::object());

    const ClipDescription d = describeModel(loadClip(file));
    QCOMPARE(QString::fromStdString(d.visionTower), tower);
    QCOMPARE(d.visionLayers, c.visionLayers);
    QCOMPARE(d.visionWidth, c.visionWidth);
    QCOMPARE(d.visionHeads, visionHeads);
    QCOMPARE(d.patchSize, patch);
    QCOMPARE(d.imageResolution, c.imageResolution);
    QCOMPARE(d.textWidth, 64);
    QCOMPARE(d.textLayers, 3);
    QCOMPARE(d.textHeads, 2);
    QCOMPARE(d.contextLength, 12);
    QCOMPARE(d.vocabSize, 50);
    QCOMPARE(d.embedDim, 16);
    QCOMPARE(d.parameters, parameterCount(*model));
    QVERIFY(d.parameters > 0);
    QVERIFY(!d.hasTokenizer);

    const nlohmann::json j = d.toJson();
    QCOMPARE(QString::fromStdString(j["vision"]["tower"].get<std::string>()), tower);
    QCOMPARE(j["text"]["context_length"].get<int>(), 12);
    QCOMPARE(j["parameters"].get<std::int64_t>(), d.parameters);
    QCOMPARE(j["vision"].contains("patch_size"), patch > 0);
}

void TestClipDescription::vitB32Lines()
{
    ClipDescription d = describeConfig(ClipConfig::preset("ViT-B/32"));
    d.parameters = 151277313;
    const auto lines = d.lines();
    QCOMPARE(lines.size(), std::size_t(3));
    QCOMPARE(QString::fromStdString(lines[0]),
             QStringLiteral("Image tower: ViT, width 768, 12 layers, 12 heads, patch 32, 224 px images"));
    QCOMPARE(QString::fromStdString(lines[1]),
             QStringLiteral("Text tower: transformer, width 512, 12 layers, 8 heads, 77 tokens, vocabulary 49408"));
    QVERIFY2(QString::fromStdString(lines[2]).startsWith(QStringLiteral("Embedding 512, 151.3 M parameters")),
             lines[2].c_str());
}

void TestClipDescription::devicesListTheCpuThenCuda()
{
    const auto devices = train::availableDevices();
    QVERIFY(!devices.empty());
    QCOMPARE(QString::fromStdString(devices.front().id), QStringLiteral("cpu"));
    QVERIFY(!devices.front().isCuda());
    const std::size_t cuda = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
    QCOMPARE(devices.size(), 1 + cuda);
    for (std::size_t i = 1; i < devices.size(); ++i) {
        QCOMPARE(devices[i].id, "cuda:" + std::to_string(i - 1));
        QVERIFY(devices[i].isCuda());
    }
}

POISONLAB_TEST_MAIN(TestClipDescription)
#include "tst_clipdescription.moc"
