// Parity with OpenAI's clip/model.py: the shared fixture model (random weights, every parameter
// moved off its initial value) read from its three forms gives expected.json's embeddings within
// a relative error of 1e-5, through the library and through `poisonlab-cli embed`.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/clip/ClipWeights.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::clip;
namespace fs = std::filesystem;

namespace {

torch::Tensor toTensor(const nlohmann::json &rows)
{
    std::vector<torch::Tensor> out;
    for (const auto &r : rows)
        out.push_back(torch::tensor(r.get<std::vector<double>>(), torch::kDouble));
    return torch::stack(out);
}

// Largest per-row ||a - b|| / ||b||.
double maxRelErr(const torch::Tensor &a, const torch::Tensor &b)
{
    const torch::Tensor aa = a.to(torch::kDouble), bb = b.to(torch::kDouble);
    return ((aa - bb).norm(2, 1) / bb.norm(2, 1)).max().item<double>();
}

fs::path modelPath(const QString &form)
{
    const fs::path f = test::fixturesDir();
    if (form == "safetensors")
        return f / "clip_parity_small/model.safetensors";
    if (form == "torchscript")
        return f / "clip_parity_small/model_traced.pt";
    return f / "clip_parity_small_hf";
}

std::string shellQuote(const std::string &s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

class TestClipParity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void embeddingsMatchOpenAi_data();
    void embeddingsMatchOpenAi();
    void embedCommandMatchesOpenAi_data();
    void embedCommandMatchesOpenAi();
    void embedCommandRejectsBadInput();
};

void TestClipParity::embeddingsMatchOpenAi_data()
{
    QTest::addColumn<QString>("form");
    QTest::newRow("OpenAI-named safetensors") << "safetensors";
    QTest::newRow("TorchScript archive") << "torchscript";
    QTest::newRow("Hugging Face folder") << "huggingface";
}

void TestClipParity::embeddingsMatchOpenAi()
{
    POISONLAB_REQUIRE_FIXTURES();
    QFETCH(QString, form);
    const fs::path dir = test::fixturesDir() / "clip_parity_small";
    const nlohmann::json expected = readJsonFile(dir / "expected.json");
    LoadedClip clip = loadClip(modelPath(form));
    QVERIFY(clip.config == ClipConfig::fromJson(expected["config"]));

    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> pixels;
    for (const auto &name : expected["images"])
        pixels.push_back(normalizeToTensor(
            resizeAndCenterCrop(readRgbImage(dir / name.get<std::string>()), clip.config.imageResolution)));
    const torch::Tensor img = clip.model->encodeImage(torch::stack(pixels));
    const double imgErr = maxRelErr(img, toTensor(expected["image_embeddings"]));
    QVERIFY2(imgErr <= 1e-5, std::to_string(imgErr).c_str());

    // Token ids from the fixture (the tokenizer has its own parity test), zero padded to 77.
    const auto &ids = expected["token_ids"];
    torch::Tensor tokens = torch::zeros({static_cast<int64_t>(ids.size()), clip.config.contextLength}, torch::kLong);
    for (size_t i = 0; i < ids.size(); ++i)
        for (size_t j = 0; j < ids[i].size(); ++j)
            tokens[i][j] = ids[i][j].get<int64_t>();
    const torch::Tensor txt = clip.model->encodeText(tokens);
    const double txtErr = maxRelErr(txt, toTensor(expected["text_embeddings"]));
    QVERIFY2(txtErr <= 1e-5, std::to_string(txtErr).c_str());

    const double scale = clip.model->logitScale().exp().item<double>();
    QVERIFY(std::abs(scale - expected["logit_scale"].get<double>()) <= 1e-5 * expected["logit_scale"].get<double>());
}

void TestClipParity::embedCommandMatchesOpenAi_data()
{
    embeddingsMatchOpenAi_data();
}

void TestClipParity::embedCommandMatchesOpenAi()
{
    POISONLAB_REQUIRE_FIXTURES();
    QFETCH(QString, form);
    const fs::path dir = test::fixturesDir() / "clip_parity_small";
    const nlohmann::json expected = readJsonFile(dir / "expected.json");
    std::string cmd =
        shellQuote(test::binary("poisonlab-cli").string()) + " embed --model " + shellQuote(modelPath(form).string());
    if (form != "huggingface") // the Hugging Face folder brings its own vocab.json + merges.txt
        cmd += " --vocab " + shellQuote((test::fixturesDir() / "bpe_simple_vocab_16e6.txt.gz").string());
    for (const auto &name : expected["images"])
        cmd += " --image " + shellQuote((dir / name.get<std::string>()).string());
    for (const auto &text : expected["texts"])
        cmd += " --text " + shellQuote(text.get<std::string>());
    std::string output;
    const int rc = test::runCommand(cmd + " 2>/dev/null", &output);
    QVERIFY2(rc == 0, output.c_str());
    const nlohmann::json got = nlohmann::json::parse(output);
    QVERIFY(maxRelErr(toTensor(got["image_embeddings"]), toTensor(expected["image_embeddings"])) <= 1e-5);
    QVERIFY(maxRelErr(toTensor(got["text_embeddings"]), toTensor(expected["text_embeddings"])) <= 1e-5);
    QVERIFY(std::abs(got["logit_scale"].get<double>() - expected["logit_scale"].get<double>()) <= 1e-4);
}

void TestClipParity::embedCommandRejectsBadInput()
{
    test::TempDir dir;
    test::writeText(dir / "junk.pt", "PK\x03\x04 certainly not a zip archive");
    test::writeText(dir / "junk.safetensors", std::string("\x10\0\0\0\0\0\0\0{\"a\":", 13));
    fs::create_directories(dir / "emptyfolder");
    const std::string cli = shellQuote(test::binary("poisonlab-cli").string());
    for (const auto &[file, expected] :
         std::vector<std::pair<std::string, std::string>>{{"junk.pt", "not a TorchScript archive"},
                                                          {"junk.safetensors", "header length"},
                                                          {"emptyfolder", "config.json is missing"},
                                                          {"missing.safetensors", "model not found"}}) {
        std::string output;
        const int rc =
            test::runCommand(cli + " embed --model " + shellQuote((dir / file).string()) + " --text hi 2>&1", &output);
        QCOMPARE(rc, 2);
        QVERIFY2(output.find(file) != std::string::npos && output.find(expected) != std::string::npos, output.c_str());
    }
}

POISONLAB_TEST_MAIN(TestClipParity)
#include "tst_clipparity.moc"
