// Mixed precision: which precisions a device runs (and the message when it cannot), and a short
// bf16 fine-tune on the CPU (autocast on AVX512-BF16/AMX) whose loss curve follows float32's within
// a stated tolerance while its weights, optimizer and checkpoints stay float32.
#include "TestSupport.h"
#include "TinyTraining.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/train/ComputeDevices.h"
#include "poisonlab/core/train/Trainer.h"

#include <torch/torch.h>

using namespace poisonlab;
using namespace poisonlab::train;

namespace {

std::vector<double> fineTune(Precision precision, const std::filesystem::path &checkpoints, clip::ClipModel &model)
{
    TrainOptions o = test::tinyTrainingOptions();
    o.precision = precision;
    model = test::tinyTrainingModel();
    Trainer trainer(model, test::tinyTrainingPairs(32), std::make_shared<test::PatternImages>(), o);
    trainer.setCheckpointDir(checkpoints);
    NullProgress progress;
    return trainer.run(progress).stepLosses;
}

bool cpuRunsBf16()
{
    return !precisionProblem("bf16", "cpu", cpuFlags()).has_value();
}

} // namespace

class TestPrecision : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::set_num_threads(1); }
    void whatADeviceRuns_data();
    void whatADeviceRuns();
    void bf16LossCurveFollowsFloat32();
    void checkpointOfAnotherPrecisionNeedsTheFlag();
    void evaluationPrecision();
};

void TestPrecision::whatADeviceRuns_data()
{
    QTest::addColumn<QString>("precision");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("flags");
    QTest::addColumn<QString>("problem"); // empty: it runs
    const QString amx = "fpu avx512f avx512_bf16 amx_bf16 amx_tile";
    const QString avx2 = "fpu sse4_2 avx2 fma";
    QTest::newRow("fp32 anywhere") << "fp32"
                                   << "cpu" << avx2 << "";
    QTest::newRow("bf16 on AVX512-BF16") << "bf16"
                                         << "cpu"
                                         << "avx512f avx512_bf16"
                                         << "";
    QTest::newRow("bf16 on AMX") << "bf16"
                                 << "cpu"
                                 << "amx_bf16"
                                 << "";
    QTest::newRow("bf16 on an AVX2 CPU")
        << "bf16"
        << "cpu" << avx2 << "neither AVX512-BF16 nor AMX (no avx512_bf16 or amx_bf16 in /proc/cpuinfo); cpu runs fp32";
    QTest::newRow("fp16 on the CPU") << "fp16"
                                     << "cpu" << amx << "fp16 runs on CUDA only; cpu runs fp32, bf16";
    QTest::newRow("fp16 on CUDA") << "fp16"
                                  << "cuda:0" << avx2 << "";
    QTest::newRow("bf16 on CUDA") << "bf16"
                                  << "cuda" << avx2 << "";
}

void TestPrecision::whatADeviceRuns()
{
    QFETCH(QString, precision);
    QFETCH(QString, device);
    QFETCH(QString, flags);
    QFETCH(QString, problem);
    const auto got = precisionProblem(precision.toStdString(), device.toStdString(), flags.toStdString());
    if (problem.isEmpty()) {
        QVERIFY2(!got, got ? got->c_str() : "");
        return;
    }
    QVERIFY(got.has_value());
    QVERIFY2(QString::fromStdString(*got).contains(problem), got->c_str());
    QVERIFY2(QString::fromStdString(*got).contains("training.precision \"" + precision + "\""), got->c_str());
}

void TestPrecision::bf16LossCurveFollowsFloat32()
{
    if (!cpuRunsBf16()) {
        // Where bf16 cannot run, the trainer refuses by name instead of training in float32.
        clip::ClipModel model = nullptr;
        test::TempDir dir;
        QVERIFY_THROWS_EXCEPTION(Error, fineTune(Precision::BFloat16, dir / "ckpt", model));
        QSKIP("this CPU has no AVX512-BF16/AMX: the bf16 curve is checked where it has");
    }
    test::TempDir dir;
    clip::ClipModel fp32Model = nullptr, bf16Model = nullptr;
    const std::vector<double> fp32 = fineTune(Precision::Float32, dir / "fp32", fp32Model);
    const std::vector<double> bf16 = fineTune(Precision::BFloat16, dir / "bf16", bf16Model);
    QCOMPARE(bf16.size(), fp32.size());
    // bfloat16 keeps 8 significant bits (relative error ~4e-3 per rounding): the curves differ
    // (autocast really ran), but by little, and the run learns as much.
    double largest = 0, differing = 0;
    for (std::size_t i = 0; i < fp32.size(); ++i) {
        const double rel = std::abs(bf16[i] - fp32[i]) / fp32[i];
        largest = std::max(largest, rel);
        differing += bf16[i] != fp32[i];
    }
    QVERIFY2(differing > 0, "the bf16 run gave float32's losses bit for bit: autocast did not run");
    QVERIFY2(largest < 0.03,
             qPrintable(QString("a bf16 step loss differs from float32's by %1 (relative)").arg(largest)));
    QVERIFY(bf16.back() < 0.9 * bf16.front());
    QVERIFY(std::abs(bf16.back() - fp32.back()) / fp32.back() < 0.03);
    // Master weights stay float32, and so does the checkpoint a resume reads.
    for (const auto &p : bf16Model->parameters())
        QCOMPARE(p.scalar_type(), torch::kFloat32);
    torch::serialize::InputArchive archive;
    std::filesystem::path checkpoint;
    for (const auto &entry : std::filesystem::directory_iterator(dir / "bf16"))
        if (entry.path().extension() == ".ckpt")
            checkpoint = entry.path();
    QVERIFY(!checkpoint.empty());
    archive.load_from(checkpoint.string());
    torch::serialize::InputArchive modelArchive;
    QVERIFY(archive.try_read("model", modelArchive));
    torch::Tensor w;
    QVERIFY(modelArchive.try_read("text_projection", w));
    QCOMPARE(w.scalar_type(), torch::kFloat32);
}

// A float32 checkpoint resumes in bf16 only when asked for: the numbers change from there on.
void TestPrecision::checkpointOfAnotherPrecisionNeedsTheFlag()
{
    if (!cpuRunsBf16())
        QSKIP("this CPU has no AVX512-BF16/AMX");
    test::TempDir dir;
    clip::ClipModel model = nullptr;
    fineTune(Precision::Float32, dir / "ckpt", model);
    TrainOptions o = test::tinyTrainingOptions();
    o.precision = Precision::BFloat16;
    Trainer refused(test::tinyTrainingModel(), test::tinyTrainingPairs(32), std::make_shared<test::PatternImages>(), o);
    try {
        refused.resume(dir / "ckpt");
        QFAIL("a float32 checkpoint resumed in bf16 without the flag");
    } catch (const Error &e) {
        const std::string what = e.what();
        QVERIFY2(what.find("precision (checkpoint \"fp32\", now \"bf16\")") != std::string::npos, e.what());
        QVERIFY2(what.find("--allow-precision-change") != std::string::npos, e.what());
    }
    Trainer allowed(test::tinyTrainingModel(), test::tinyTrainingPairs(32), std::make_shared<test::PatternImages>(), o);
    allowed.resume(dir / "ckpt", /*allowPrecisionChange=*/true);
    QCOMPARE(allowed.resumedFromStep(), allowed.totalSteps());
}

// evaluation.options.precision: typed, round-trips, a bad value or one the device cannot run is
// refused naming the setting.
void TestPrecision::evaluationPrecision()
{
    QCOMPARE(eval::EvalOptions::fromJson({{"precision", "bf16"}}).precision, std::string("bf16"));
    QCOMPARE(eval::EvalOptions::fromJson(eval::EvalOptions::fromJson({{"precision", "bf16"}}).toJson()).precision,
             std::string("bf16"));
    try {
        eval::EvalOptions::fromJson({{"precision", "fp8"}});
        QFAIL("fp8 accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("'precision' is \"fp8\"; it must be fp32, bf16 or fp16") !=
                     std::string::npos,
                 e.what());
    }
    eval::EvalOptions fp16;
    fp16.precision = "fp16";
    auto tokenize = [](const std::vector<std::string> &texts, int length) {
        return std::vector<std::int64_t>(texts.size() * std::size_t(length), 0);
    };
    try {
        eval::Evaluator e(std::make_shared<data::Dataset>(), data::Split::Test, std::make_shared<test::PatternImages>(),
                          tokenize, fp16);
        QFAIL("fp16 evaluation on the CPU accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("evaluation.options.precision \"fp16\" cannot run on cpu") !=
                     std::string::npos,
                 e.what());
    }
}

POISONLAB_TEST_MAIN(TestPrecision)
#include "tst_precision.moc"
