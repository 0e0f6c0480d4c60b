// The checkpoint readers' checks before a model is built: the parameter bound that keeps a few
// bytes of config from allocating gigabytes, TorchScript tensors that reach past their storage,
// and the fuzz targets' tiny Hugging Face fixture, which must load as a real checkpoint.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/ClipWeightReaders.h"
#include "poisonlab/core/clip/ClipWeights.h"

#include <nlohmann/json.hpp>
#include <torch/script.h>

using namespace poisonlab;
using namespace poisonlab::clip;
namespace fs = std::filesystem;

using poisonlab::test::errorOf;

namespace {

fs::path hfFixture()
{
    return test::testDataDir() / ".." / "fuzz" / "data" / "hf-tiny";
}

} // namespace

class TestClipWeightReaders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void minimumParameterCountIsABound_data();
    void minimumParameterCountIsABound();
    void hostileHuggingFaceConfigsRefused_data();
    void hostileHuggingFaceConfigsRefused();
    void hostileSidecarConfigRefused();
    void emptyTensorWithHugeShapeRefused();
    void torchScriptTensorPastItsStorage();
    void torchScriptDamagedRecord();
    void fuzzFixtureLoads();
};

void TestClipWeightReaders::minimumParameterCountIsABound_data()
{
    QTest::addColumn<QString>("config");
    QTest::newRow("demo-tiny") << "demo-tiny";
    QTest::newRow("demo-small") << "demo-small";
    QTest::newRow("vit without blocks") << R"({"embed_dim": 4, "image_resolution": 1, "vision_layers": 0,
        "vision_width": 64, "vision_patch_size": 1, "context_length": 2, "vocab_size": 3,
        "transformer_width": 4, "transformer_heads": 1, "transformer_layers": 1})";
    QTest::newRow("resnet") << R"({"embed_dim": 16, "image_resolution": 64, "vision_layers": [1, 1, 2, 1],
        "vision_width": 8, "vision_patch_size": null, "context_length": 12, "vocab_size": 50,
        "transformer_width": 64, "transformer_heads": 1, "transformer_layers": 1})";
}

// A valid model is never refused: the bound stays at or below the real count, and within a
// factor of it, so it also catches configs too big for their weights.
void TestClipWeightReaders::minimumParameterCountIsABound()
{
    QFETCH(QString, config);
    const ClipConfig c = config.startsWith('{') ? ClipConfig::fromJson(nlohmann::json::parse(config.toStdString()))
                                                : ClipConfig::preset(config.toStdString());
    ClipModel model(c);
    double real = 0;
    for (const auto &p : model->parameters())
        real += double(p.numel());
    const double bound = minimumParameterCount(c);
    QVERIFY2(bound <= real, qPrintable(QString("bound %1, real %2").arg(bound).arg(real)));
    QVERIFY2(bound >= real / 8, qPrintable(QString("bound %1, real %2").arg(bound).arg(real)));
}

void TestClipWeightReaders::hostileHuggingFaceConfigsRefused_data()
{
    QTest::addColumn<QString>("part");
    QTest::addColumn<QString>("key");
    QTest::addColumn<qlonglong>("value");
    QTest::addColumn<QString>("problem");
    const QString fit = "hf/model.safetensors: the weights do not fit the CLIP config: it needs at least";
    QTest::newRow("text width") << "text_config"
                                << "hidden_size" << 249984LL << fit;
    QTest::newRow("text layers") << "text_config"
                                 << "num_hidden_layers" << 1000000LL << fit;
    QTest::newRow("vocabulary") << "text_config"
                                << "vocab_size" << 1000000LL << fit;
    QTest::newRow("vision layers") << "vision_config"
                                   << "num_hidden_layers" << 1000000LL << fit;
    // Found by fuzz_hf_config: read as an int it wrapped to -1285418553, and 4 x that overflowed (UB).
    QTest::newRow("width beyond an int") << "text_config"
                                         << "hidden_size" << 1111111111111LL
                                         << "hf/config.json: \"hidden_size\" is out of range: 1111111111111";
    QTest::newRow("negative layers") << "vision_config"
                                     << "num_hidden_layers" << -3LL
                                     << "hf/config.json: \"num_hidden_layers\" is out of range: -3";
}

// A config.json of a few bytes beside small weights used to make loadClip build the model it
// describes first (terabytes), before the weights could say they do not fit.
void TestClipWeightReaders::hostileHuggingFaceConfigsRefused()
{
    QFETCH(QString, part);
    QFETCH(QString, key);
    QFETCH(qlonglong, value);
    QFETCH(QString, problem);
    test::TempDir dir;
    fs::create_directories(dir / "hf");
    fs::copy_file(hfFixture() / "model.safetensors", dir / "hf/model.safetensors");
    nlohmann::json config = readJsonFile(hfFixture() / "config.json");
    config[part.toStdString()][key.toStdString()] = value;
    if (key == "hidden_size") { // keep the config self-consistent, so only its size is wrong
        config[part.toStdString()]["intermediate_size"] = 4 * value;
        config[part.toStdString()]["num_attention_heads"] = value / 64;
    }
    writeJsonAtomically(dir / "hf/config.json", config);
    const std::string message = errorOf([&] { loadClip(dir / "hf"); });
    QVERIFY2(message.find(problem.toStdString()) != std::string::npos, message.c_str());
}

void TestClipWeightReaders::hostileSidecarConfigRefused()
{
    test::TempDir dir;
    ClipConfig c = ClipConfig::preset("demo-tiny");
    const ClipModel model(c);
    saveClip(dir / "m.safetensors", model, nullptr, nlohmann::json::object());
    nlohmann::json side = readJsonFile(dir / "m.safetensors.json");
    side["config"]["transformer_layers"] = 1000000;
    writeJsonAtomically(dir / "m.safetensors.json", side);
    const std::string message = errorOf([&] { loadClip(dir / "m.safetensors"); });
    QVERIFY2(message.find("m.safetensors: the weights do not fit the CLIP config") != std::string::npos,
             message.c_str());
}

// A tensor without elements may declare any other dimension; read into the inferred config as
// an int, a patch size of 2^31 - 1 times the grid overflowed; any size past a million is refused.
void TestClipWeightReaders::emptyTensorWithHugeShapeRefused()
{
    test::TempDir dir;
    const NamedTensors sd = {{"visual.proj", torch::zeros({64, 4})},
                             {"visual.conv1.weight", torch::empty({0, 3, 1048577, 1048577})},
                             {"visual.positional_embedding", torch::zeros({5, 64})}};
    Safetensors::write(dir / "m.safetensors", sd);
    const std::string message = errorOf([&] { loadClip(dir / "m.safetensors"); });
    QVERIFY2(message.find("m.safetensors: the inferred patch size 1048577 is no CLIP model's") != std::string::npos,
             message.c_str());
}

// LibTorch's loader takes a tensor's sizes from the archive: one larger than its storage is
// refused by name instead of being read past its end.
void TestClipWeightReaders::torchScriptTensorPastItsStorage()
{
    test::TempDir dir;
    torch::jit::Module module("holder");
    torch::Tensor forged = torch::zeros({4});
    forged.unsafeGetTensorImpl()->set_sizes_contiguous({1000});
    module.register_parameter("forged", forged, false);
    module.save((dir / "m.pt").string());
    const std::string message = errorOf([&] { readTorchScriptCheckpoint(dir / "m.pt"); });
    QVERIFY2(message.find("m.pt: tensor \"forged\" reaches past the end of its storage (element 999 of 4)") !=
                 std::string::npos,
             message.c_str());
}

// LibTorch's zip reader does not check CRC-32s: a flipped byte in a tensor's data loaded
// silently, one in a code record could crash its TorchScript compiler.
void TestClipWeightReaders::torchScriptDamagedRecord()
{
    test::TempDir dir;
    torch::jit::Module module("holder");
    module.register_parameter("w", torch::full({8}, 1234.5f), false);
    module.save((dir / "m.pt").string());
    std::string bytes = readFile(dir / "m.pt");
    const float value = 1234.5f;
    const auto at = bytes.find(std::string(reinterpret_cast<const char *>(&value), sizeof value));
    QVERIFY(at != std::string::npos);
    bytes[at] ^= 0x01;
    writeFileAtomically(dir / "m.pt", bytes);
    const std::string message = errorOf([&] { loadClip(dir / "m.pt"); });
    QVERIFY2(message.find("m.pt: corrupt TorchScript archive: entry \"m/data/0\" is damaged: its CRC-32 differs") !=
                 std::string::npos,
             message.c_str());
}

void TestClipWeightReaders::fuzzFixtureLoads()
{
    const LoadedClip loaded = loadClip(hfFixture());
    QCOMPARE(loaded.config.visionWidth, 64);
    QCOMPARE(loaded.config.transformerLayers, 1);
}

POISONLAB_TEST_MAIN(TestClipWeightReaders)
#include "tst_clipweightreaders.moc"
