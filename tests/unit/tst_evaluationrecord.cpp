// The run directory as the record: a tiny poisoned run writes results/embeddings/<model>/ for
// every model it evaluated; an independent numpy script (tests/scripts/recompute_metrics.py)
// recomputes every metric from those files and agrees exactly, and notices a changed number.
// Then `analyze` on the same run: every analysis file, a MinRank grid that agrees with the
// goal's MinRank, and clear errors for missing or mismatched files.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunAnalysis.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

class TestEvaluationRecord : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void recordsEveryEvaluatedModel();
    void numpyScriptRecomputesEveryMetric();
    void loadNamesMissingAndMismatchedFiles();
    void analyzeWritesEveryAnalysis();
    void analyzeErrorsNameWhatIsMissing();

private:
    std::unique_ptr<test::TempDir> m_dir;
    fs::path m_run;
    bool havePython() const;
    std::string python(const fs::path &target, int *rc) const;
};

void TestEvaluationRecord::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    test::writeToyExperimentData(*m_dir / "toy");
    // Attack II (every sheep training caption swapped to an aeroplane image) and an Attack I goal.
    const json goals = {{{"source", "sheep"}, {"target", "aeroplane"}},
                        {{"source", "dog"}, {"target", "aeroplane"}, {"target_image", "img/aeroplane5.png"}}};
    const ExperimentConfig cfg = test::toyExperimentConfig(*m_dir / "toy", true, "toy", goals);
    NullProgress progress;
    RunOptions options;
    options.outDir = *m_dir / "run";
    ExperimentRunner::run(cfg, options, progress);
    m_run = options.outDir;
}

bool TestEvaluationRecord::havePython() const
{
    return test::runCommand("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
}

std::string TestEvaluationRecord::python(const fs::path &target, int *rc) const
{
    const fs::path script = fs::path(POISONLAB_SOURCE_DIR) / "tests/scripts/recompute_metrics.py";
    std::string out;
    *rc = test::runCommand("/usr/bin/python3 '" + script.string() + "' '" + target.string() + "' 2>&1", &out);
    return out;
}

void TestEvaluationRecord::recordsEveryEvaluatedModel()
{
    for (const char *model : {"initial", "epoch-1", "epoch-2", "final"}) {
        const fs::path dir = eval::evaluationRecordDir(m_run, model);
        for (const char *file : {"images.npy", "captions.npy", "index.json", "metrics.json"})
            QVERIFY2(fs::is_regular_file(dir / file), (dir / file).c_str());
    }
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_run, "final"));
    // Test split: 8 images, 16 captions, embed_dim 32, unit rows.
    QCOMPARE(rec.images.size(0), std::int64_t(8));
    QCOMPARE(rec.captions.size(0), std::int64_t(16));
    QCOMPARE(rec.images.size(1), std::int64_t(32));
    QVERIFY(torch::allclose(rec.images.norm(2, 1), torch::ones({8}), 1e-5, 1e-5));
    const json final = readJsonFile(m_run / "results/final.json");
    QCOMPARE(rec.metrics.dump(), final["evaluation"].dump());
    const auto &goals = rec.index["goals"];
    QCOMPARE(goals.size(), std::size_t(2));
    QCOMPARE(goals[0]["query_rows"].size(), std::size_t(4)); // 2 test sheep images x 2 captions
    QCOMPARE(goals[0]["target_image_row"].get<int>(), -1);
    QCOMPARE(goals[0]["baseline_rows"].size(), std::size_t(4));
    const int row = goals[1]["target_image_row"].get<int>();
    QVERIFY(row >= 0);
    QCOMPARE(rec.index["images"][std::size_t(row)]["path"].get<std::string>(), std::string("img/aeroplane5.png"));
    QCOMPARE(rec.index["eval_options"]["baselineSeed"].get<int>(), 4);
}

void TestEvaluationRecord::numpyScriptRecomputesEveryMetric()
{
    if (!havePython()) {
        if (test::runningInCi())
            QFAIL("/usr/bin/python3 with numpy is needed and CI=true");
        QSKIP("/usr/bin/python3 with numpy is absent");
    }
    int rc = -1;
    std::string out = python(m_run, &rc);
    QVERIFY2(rc == 0, out.c_str());
    QVERIFY2(out.find("4 record(s) checked, 0 disagreement(s)") != std::string::npos, out.c_str());

    // A copy whose metrics.json says something else: the script notices.
    test::TempDir dir;
    fs::copy(eval::evaluationRecordDir(m_run, "final"), dir.path(), fs::copy_options::recursive);
    json m = readJsonFile(dir / "metrics.json");
    m["attacks"][0]["baseline"]["minrank_max"] = m["attacks"][0]["baseline"]["minrank_max"].get<int>() + 1;
    m["utility"]["image_retrieval"]["r5"] = m["utility"]["image_retrieval"]["r5"].get<double>() + 1e-12;
    writeJsonAtomically(dir / "metrics.json", m);
    out = python(dir.path(), &rc);
    QCOMPARE(rc, 1);
    QVERIFY2(out.find("baseline.minrank_max") != std::string::npos, out.c_str());
    QVERIFY2(out.find("image_retrieval.r5") != std::string::npos, out.c_str());
    QVERIFY2(out.find("2 disagreement(s)") != std::string::npos, out.c_str());
}

void TestEvaluationRecord::loadNamesMissingAndMismatchedFiles()
{
    test::TempDir dir;
    const fs::path rec = dir / "rec";
    fs::copy(eval::evaluationRecordDir(m_run, "final"), rec, fs::copy_options::recursive);
    // One image row too few.
    NpyArray images = readNpy(rec / "images.npy");
    images.shape[0] -= 1;
    images.data.resize(std::size_t(images.shape[0] * images.shape[1]));
    writeNpy(rec / "images.npy", images);
    try {
        eval::EvaluationRecord::load(rec);
        QFAIL("mismatched rows were accepted");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("images.npy") && QString(e.what()).contains("7 rows") &&
                     QString(e.what()).contains("8 images"),
                 e.what());
    }
    fs::remove(rec / "captions.npy");
    try {
        eval::EvaluationRecord::load(rec);
        QFAIL("a missing file was accepted");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("captions.npy") && QString(e.what()).contains("missing"), e.what());
    }
}

void TestEvaluationRecord::analyzeWritesEveryAnalysis()
{
    AnalyzeOptions o;
    o.runDir = m_run;
    o.tsneIterations = 250;
    o.tsneMax = 20; // 24 points per model: the t-SNE uses a documented sample
    NullProgress progress;
    const AnalyzeOutcome out = analyzeRun(o, progress);
    QCOMPARE(out.written.size(), std::size_t(5));
    QVERIFY(out.skipped.empty());
    const fs::path dir = m_run / "results/analysis";

    const json grid = readJsonFile(dir / "minrank_grid.json");
    QCOMPARE(grid["classes"].size(), std::size_t(4));
    const json final = readJsonFile(m_run / "results/final.json")["evaluation"]["attacks"][0];
    // The grid's (sheep, aeroplane) cell is the goal's own MinRank and Hit@10.
    const auto &classes = grid["classes"];
    const auto sheep = std::find(classes.begin(), classes.end(), "sheep") - classes.begin();
    const auto plane = std::find(classes.begin(), classes.end(), "aeroplane") - classes.begin();
    QCOMPARE(grid["minrank_mean"][sheep][plane].get<double>(), final["attack"]["minrank_mean"].get<double>());
    QCOMPARE(grid["hit@10"][sheep][plane].get<double>(), final["attack"]["hit@10"].get<double>());

    const json shift = readJsonFile(dir / "embedding_shift.json");
    QCOMPARE(shift["reference"].get<std::string>(), std::string("initial"));
    QCOMPARE(shift["images"]["values"].size(), std::size_t(8));
    QCOMPARE(shift["captions"]["values"].size(), std::size_t(16));
    QVERIFY(shift["images"]["mean"].get<double>() > 0); // training moved the embeddings

    const json pca = readJsonFile(dir / "projection_pca.json");
    QCOMPARE(pca["models"]["final"]["points"].size(), std::size_t(24));
    QCOMPARE(pca["models"]["initial"]["points"].size(), std::size_t(24));
    const json tsne = readJsonFile(dir / "projection_tsne.json");
    QCOMPARE(tsne["models"]["final"]["points"].size(), std::size_t(20));
    QCOMPARE(tsne["params"]["sample"]["input_rows"].get<int>(), 24);
    QCOMPARE(tsne["models"]["final"]["run"]["sampled"].get<bool>(), true);

    const json density = readJsonFile(dir / "distance_density.json");
    QCOMPARE(density["groups"]["poisoned"]["count"].get<int>(), 8); // every sheep training caption
    QCOMPARE(density["groups"]["clean"]["count"].get<int>(), 24);
    QVERIFY(density["bandwidth"].get<double>() > 0);
    QCOMPARE(density["grid"].size(), density["groups"]["clean"]["density"].size());

    // Without --force the analyses are not replaced.
    QVERIFY_THROWS_EXCEPTION(Error, analyzeRun(o, progress));
}

void TestEvaluationRecord::analyzeErrorsNameWhatIsMissing()
{
    NullProgress progress;
    auto message = [&](const AnalyzeOptions &o) -> QString {
        try {
            analyzeRun(o, progress);
        } catch (const Error &e) {
            return e.what();
        }
        return "no error";
    };
    AnalyzeOptions o;
    o.runDir = m_run;
    o.force = true;
    o.density = false;
    o.model = "epoch-9";
    QVERIFY(message(o).contains("embeddings/epoch-9"));

    // A reference whose rows are other captions.
    test::TempDir dir;
    const fs::path other = dir / "other";
    fs::copy(eval::evaluationRecordDir(m_run, "initial"), other, fs::copy_options::recursive);
    json index = readJsonFile(other / "index.json");
    index["captions"][3]["text"] = "a different caption";
    writeJsonAtomically(other / "index.json", index);
    o.model = "final";
    o.reference = other.string();
    const QString mismatch = message(o);
    QVERIFY2(mismatch.contains("caption row 3") && mismatch.contains("index.json"), qPrintable(mismatch));
    // The analysis computed before the failure is kept.
    QVERIFY(fs::is_regular_file(m_run / "results/analysis/minrank_grid.json"));

    // No fine-tuned model: the density names the file it needs.
    test::TempDir copy;
    fs::copy(m_run, copy / "run", fs::copy_options::recursive);
    fs::remove(copy / "run/model/final.safetensors");
    o.runDir = copy / "run";
    o.reference.clear();
    o.density = true;
    o.tsneIterations = 10;
    QVERIFY(message(o).contains("final.safetensors"));
}

POISONLAB_TEST_MAIN(TestEvaluationRecord)
#include "tst_evaluationrecord.moc"
