// Paths read from files stay inside their folder, symbolic links resolved (ConfinedPath.h): the
// core check on real links, every dataset format's image paths, a checkpoint pointer, a sweep
// index, a weights sidecar, an evaluation gallery; and a config whose name tries to escape makes
// `poisonlab-cli run` write nothing outside the folder it runs in.
#include "TestSupport.h"
#include "TinyTraining.h"
#include "ToyExperiment.h"

#include "../../core/src/train/TrainCheckpoint.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/LocalSweepRunner.h"
#include "poisonlab/core/experiment/RetrievalGallery.h"
#include "poisonlab/core/experiment/SweepIndex.h"
#include "poisonlab/core/plugin/DatasetOpening.h"
#include "poisonlab/core/train/DatasetImageSource.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <set>

using namespace poisonlab;
using nlohmann::json;
namespace fs = std::filesystem;

using poisonlab::test::errorOf;

namespace {

void writeImage(const fs::path &p)
{
    fs::create_directories(p.parent_path());
    QVERIFY(cv::imwrite(p.string(), cv::Mat(8, 8, CV_8UC3, cv::Scalar(40, 90, 200))));
}

/// Every file and folder under `dir`, relative to it (links not followed).
std::set<std::string> listing(const fs::path &dir)
{
    std::set<std::string> out;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it)
        out.insert(fs::relative(it->path(), dir).string());
    return out;
}

/// A root with root/images/a.jpg, a file link root/images/link.jpg and a folder link root/out,
/// both to <dir>/outside, and a folder link root/in to root/images.
fs::path makeRoot(const test::TempDir &dir)
{
    writeImage(dir / "root/images/a.jpg");
    writeImage(dir / "outside/secret.jpg");
    fs::create_symlink(dir / "outside/secret.jpg", dir / "root/images/link.jpg");
    fs::create_directory_symlink(dir / "outside", dir / "root/out");
    fs::create_directory_symlink(dir / "root/images", dir / "root/in");
    return dir / "root";
}

const char *const kHostile[] = {"../../../outside/secret.jpg", "/abs/secret.jpg", "link.jpg", "out/secret.jpg"};
const char *const kHostileReason[] = {"escapes the dataset root (\"..\")", "absolute image path",
                                      "through a symbolic link", "through a symbolic link"};

/// An annotation of `format` naming good.jpg and the hostile paths, each with one caption, the
/// images under root/img (the formats that add a folder are pointed at it with "imageDir").
data::DatasetSource hostileDataset(const std::string &format, const fs::path &root)
{
    data::DatasetSource s;
    s.format = format;
    s.root = root;
    s.options = {{"imageDir", "img"}};
    writeImage(root / "img/good.jpg");
    writeImage(root.parent_path() / "outside/secret.jpg");
    fs::create_symlink(root.parent_path() / "outside/secret.jpg", root / "img/link.jpg");
    fs::create_directory_symlink(root.parent_path() / "outside", root / "img/out");
    std::vector<std::string> paths = {"good.jpg"};
    paths.insert(paths.end(), std::begin(kHostile), std::end(kHostile));
    // csv and paper-json name paths from the root; the others from their images folder.
    const bool fromRoot = format == "csv" || format == "paper-json";
    for (auto &p : paths)
        if (fromRoot && p.front() != '/')
            p = "img/" + p;
    std::string text;
    if (format == "csv") {
        text = "image,caption\n";
        for (const auto &p : paths)
            text += p + ",a caption of " + std::to_string(text.size()) + "\n";
        test::writeText(root / "pairs.csv", text);
    } else if (format == "flickr30k-token") {
        for (const auto &p : paths)
            text += p + "#0\ta caption\n";
        test::writeText(root / "results_20130124.token", text);
    } else if (format == "paper-json" || format == "karpathy") {
        json records = json::array();
        for (std::size_t i = 0; i < paths.size(); ++i)
            records.push_back(
                format == "karpathy"
                    ? json{{"filename", paths[i]}, {"split", "train"}, {"sentences", {{{"raw", "a caption"}}}}}
                    : json{{"image", paths[i]}, {"caption", "a caption"}, {"image_id", i}, {"label", "cat"}});
        test::writeText(root / (format == "karpathy" ? "dataset_flickr30k.json" : "records_train.json"),
                        (format == "karpathy" ? json{{"images", records}} : records).dump());
    } else if (format == "coco") {
        json images = json::array(), annotations = json::array();
        for (std::size_t i = 0; i < paths.size(); ++i) {
            images.push_back({{"id", i + 1}, {"file_name", paths[i]}, {"width", 8}, {"height", 8}});
            annotations.push_back({{"id", i + 1}, {"image_id", i + 1}, {"caption", "a caption"}});
        }
        test::writeText(root / "annotations/captions_train2017.json",
                        json{{"images", images}, {"annotations", annotations}}.dump());
        test::writeText(
            root / "annotations/instances_train2017.json",
            json{{"images", json::array()}, {"annotations", json::array()}, {"categories", json::array()}}.dump());
    }
    return s;
}

} // namespace

class TestPathSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void escapeProblem_data();
    void escapeProblem();
    void confinedPathNamesFileAndPath();
    void fileNames_data();
    void fileNames();
    void datasetFormatsSkipHostilePaths_data();
    void datasetFormatsSkipHostilePaths();
    void pascalSymlinkOutIsSkipped();
    void imageReadsStayInTheRoot_data();
    void imageReadsStayInTheRoot();
    void checkpointPointerStaysInItsFolder();
    void sweepIndexCellStaysInTheSweep_data();
    void sweepIndexCellStaysInTheSweep();
    void sidecarTokenizerStaysBesideTheWeights();
    void galleryImagesStayInTheDataset();
    void runNameCannotLeaveTheOutputFolder_data();
    void runNameCannotLeaveTheOutputFolder();
};

void TestPathSafety::escapeProblem_data()
{
    QTest::addColumn<QString>("relative");
    QTest::addColumn<QString>("normalised"); // expected when accepted
    QTest::addColumn<QString>("problem");    // expected part of the reason when refused
    QTest::newRow("plain") << "images/a.jpg"
                           << "images/a.jpg"
                           << "";
    QTest::newRow("dots and doubled slashes") << "./images//./a.jpg"
                                              << "images/a.jpg"
                                              << "";
    QTest::newRow("backslashes") << "images\\a.jpg"
                                 << "images/a.jpg"
                                 << "";
    QTest::newRow("dot-dot back in") << "images/../images/a.jpg"
                                     << "images/a.jpg"
                                     << "";
    QTest::newRow("link to a folder inside") << "in/a.jpg"
                                             << "in/a.jpg"
                                             << "";
    QTest::newRow("not there yet") << "images/new/b.jpg"
                                   << "images/new/b.jpg"
                                   << "";
    QTest::newRow("dot-dot out") << "../outside/secret.jpg"
                                 << ""
                                 << "escapes its root (\"..\")";
    QTest::newRow("dot-dot out deep") << "images/../../../etc/passwd"
                                      << ""
                                      << "escapes its root";
    QTest::newRow("etc passwd") << "../../etc/passwd"
                                << ""
                                << "escapes its root";
    QTest::newRow("absolute") << "/etc/passwd"
                              << ""
                              << "absolute path";
    QTest::newRow("windows drive") << "C:\\Windows\\win.ini"
                                   << ""
                                   << "absolute path";
    QTest::newRow("unc") << "\\\\server\\share\\x.jpg"
                         << ""
                         << "absolute path";
    QTest::newRow("empty") << ""
                           << ""
                           << "empty path";
    QTest::newRow("the root itself") << "images/.."
                                     << ""
                                     << "names its root itself";
    QTest::newRow("NUL byte") << QString::fromLatin1("images/a.jpg\0/x", 15) << ""
                              << "NUL byte";
    QTest::newRow("file link out") << "images/link.jpg"
                                   << ""
                                   << "leads outside its root through a symbolic link";
    QTest::newRow("folder link out") << "out/secret.jpg"
                                     << ""
                                     << "leads outside its root through a symbolic link";
    QTest::newRow("folder link out, file not there") << "out/missing.jpg"
                                                     << ""
                                                     << "through a symbolic link";
}

void TestPathSafety::escapeProblem()
{
    QFETCH(QString, relative);
    QFETCH(QString, normalised);
    QFETCH(QString, problem);
    test::TempDir dir;
    const fs::path root = makeRoot(dir);
    const std::string rel = relative.toStdString();
    // Through the root itself and through a link to the root: the same answers.
    fs::create_directory_symlink(root, dir / "root-link");
    for (const fs::path &r : {root, dir / "root-link"}) {
        std::string norm;
        const auto why = pathEscapeProblem(r, rel, true, {}, &norm);
        if (problem.isEmpty()) {
            QVERIFY2(!why, why ? why->c_str() : "");
            QCOMPARE(QString::fromStdString(norm), normalised);
        } else {
            QVERIFY2(why && why->find(problem.toStdString()) != std::string::npos, why ? why->c_str() : "accepted");
        }
    }
    // Without following links only the text is judged: the links pass.
    const bool linkCase = problem.contains("symbolic link");
    QCOMPARE(!pathEscapeProblem(root, rel, false).has_value(), problem.isEmpty() || linkCase);
}

void TestPathSafety::confinedPathNamesFileAndPath()
{
    test::TempDir dir;
    const fs::path root = makeRoot(dir);
    QCOMPARE(confinedPath(root, "images/./a.jpg", dir / "list.json"), root / "images/a.jpg");
    const std::string e = errorOf([&] {
        confinedPath(root, "out/secret.jpg", dir / "list.json", {"image path", "the dataset root"});
    });
    QVERIFY2(e.find("list.json") != std::string::npos, e.c_str());
    QVERIFY2(e.find("\"out/secret.jpg\" refused: image path leads outside the dataset root through a symbolic link") !=
                 std::string::npos,
             e.c_str());
}

void TestPathSafety::fileNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("plain") << "toy-rate_0.5" << true;
    QTest::newRow("spaces and colons") << "emoji: clean vs poisoned" << true;
    QTest::newRow("dot-dot path") << "../../x" << false;
    QTest::newRow("absolute") << "/abs/x" << false;
    QTest::newRow("dot-dot") << ".." << false;
    QTest::newRow("dot") << "." << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("backslash") << "a\\b" << false;
    QTest::newRow("slash inside") << "a/b" << false;
}

void TestPathSafety::fileNames()
{
    QFETCH(QString, name);
    QFETCH(bool, accepted);
    const std::string n = name.toStdString();
    const std::string e = errorOf([&] { checkedFileName(n, "exp.json", "name", "pass --out DIR"); });
    if (accepted) {
        QVERIFY2(e.empty(), e.c_str());
    } else {
        QVERIFY2(e.find("exp.json: \"name\" \"" + n + "\" cannot be a file name") == 0, e.c_str());
        QVERIFY2(e.find("pass --out DIR") != std::string::npos, e.c_str());
    }
}

void TestPathSafety::datasetFormatsSkipHostilePaths_data()
{
    QTest::addColumn<QString>("format");
    for (const char *f : {"csv", "paper-json", "karpathy", "coco", "flickr30k-token"})
        QTest::newRow(f) << f;
}

void TestPathSafety::datasetFormatsSkipHostilePaths()
{
    QFETCH(QString, format);
    test::TempDir dir;
    const data::DatasetSource source = hostileDataset(format.toStdString(), dir / "root");
    NullProgress progress;
    const data::Dataset d = plugin::openDataset(source, progress);
    std::string report;
    for (const auto &s : d.skipped)
        report += s.where + ": " + s.reason + "\n";
    QVERIFY2(d.images.size() == 1 && d.images[0].path == "img/good.jpg", report.c_str());
    // Each hostile path is skipped, named with its reason.
    for (std::size_t i = 0; i < std::size(kHostile); ++i) {
        const std::string tail = fs::path(kHostile[i]).parent_path().filename().string() + "/secret.jpg";
        const std::string named = std::string(kHostile[i]) == "link.jpg" ? "img/link.jpg" : tail;
        bool found = false;
        for (const auto &s : d.skipped)
            found = found ||
                    (s.where.find(named) != std::string::npos && s.reason.find(kHostileReason[i]) != std::string::npos);
        QVERIFY2(found, (std::string(kHostile[i]) + " not skipped as expected; skipped:\n" + report).c_str());
    }
}

void TestPathSafety::pascalSymlinkOutIsSkipped()
{
    // PASCAL sentences names no paths: its images are listed from the folders, so a link is the
    // only way out.
    test::TempDir dir;
    const fs::path root = dir / "root";
    writeImage(root / "dataset/cat/a.jpg");
    writeImage(dir / "outside/secret.jpg");
    fs::create_symlink(dir / "outside/secret.jpg", root / "dataset/cat/b.jpg");
    test::writeText(root / "sentence/cat/a.txt", "a cat\n");
    test::writeText(root / "sentence/cat/b.txt", "another cat\n");
    NullProgress progress;
    const data::Dataset d = plugin::openDataset({"pascal-sentences", root, {}, json::object()}, progress);
    QCOMPARE(d.images.size(), std::size_t(1));
    QCOMPARE(d.skipped.size(), std::size_t(1));
    QCOMPARE(d.skipped[0].where, std::string("dataset/cat/b.jpg"));
    QVERIFY2(d.skipped[0].reason.find("through a symbolic link") != std::string::npos, d.skipped[0].reason.c_str());
}

void TestPathSafety::imageReadsStayInTheRoot_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("problem");
    QTest::newRow("inside") << "images/a.jpg"
                            << "";
    QTest::newRow("file link out") << "images/link.jpg"
                                   << "leads outside the dataset root through a symbolic link";
    QTest::newRow("folder link out") << "out/secret.jpg"
                                     << "leads outside the dataset root through a symbolic link";
    QTest::newRow("dot-dot") << "../outside/secret.jpg"
                             << "escapes the dataset root";
}

void TestPathSafety::imageReadsStayInTheRoot()
{
    // A dataset read without checkFiles, or one whose link appeared after it was read: the image
    // source checks again before each read.
    QFETCH(QString, path);
    QFETCH(QString, problem);
    test::TempDir dir;
    auto ds = std::make_shared<data::Dataset>();
    ds->root = makeRoot(dir);
    ds->images.push_back({});
    ds->images[0].path = path.toStdString();
    train::DatasetImageSource source(ds, 8, 0);
    if (problem.isEmpty()) {
        QCOMPARE(source.load({0}).size(0), std::int64_t(1));
        return;
    }
    const std::string e = errorOf([&] { source.load({0}); });
    QVERIFY2(e.find(ds->root.string() + ": \"" + path.toStdString() + "\" refused: image path " +
                    problem.toStdString()) == 0,
             e.c_str());
}

void TestPathSafety::checkpointPointerStaysInItsFolder()
{
    test::TempDir dir;
    const fs::path ckpt = dir / "run/checkpoints";
    test::writeText(ckpt / "step-0000000002.ckpt", "two");
    test::writeText(dir / "outside/victim.ckpt", "not ours");
    fs::create_symlink(dir / "outside/victim.ckpt", ckpt / "step-0000000009.ckpt");
    for (const std::string &named : std::vector<std::string>{
             "../../outside/victim.ckpt", (dir / "outside/victim.ckpt").string(), "step-0000000009.ckpt"}) {
        writeJsonAtomically(ckpt / "latest.json", {{"file", named}, {"global_step", 9}});
        // Neither the pointer nor the link may make resume read (or set aside) the outside file.
        const auto candidates = train::checkpointCandidates(ckpt);
        QCOMPARE(candidates.size(), std::size_t(1));
        QCOMPARE(candidates[0], ckpt / "step-0000000002.ckpt");
        QVERIFY(train::latestCheckpointFile(ckpt).empty());
    }
    writeJsonAtomically(ckpt / "latest.json", {{"file", "step-0000000002.ckpt"}, {"global_step", 2}});
    QCOMPARE(train::latestCheckpointFile(ckpt), ckpt / "step-0000000002.ckpt");
}

void TestPathSafety::sweepIndexCellStaysInTheSweep_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("problem");
    QTest::newRow("run_dir dot-dot") << "run_dir"
                                     << "../../escaped/run"
                                     << "run_dir escapes the sweep folder (\"..\")";
    QTest::newRow("run_dir absolute") << "run_dir"
                                      << "ABS"
                                      << "absolute run_dir";
    QTest::newRow("run_dir through a link") << "run_dir"
                                            << "cells/link/run"
                                            << "run_dir leads outside the sweep folder through a symbolic link";
    QTest::newRow("config dot-dot") << "config"
                                    << "cells/../../x.json"
                                    << "config escapes the sweep folder";
}

void TestPathSafety::sweepIndexCellStaysInTheSweep()
{
    QFETCH(QString, key);
    QFETCH(QString, path);
    QFETCH(QString, problem);
    test::TempDir dir;
    const fs::path sweep = dir / "work/sweep";
    fs::create_directories(sweep / "cells");
    fs::create_directories(dir / "elsewhere");
    fs::create_directory_symlink(dir / "elsewhere", sweep / "cells/link");
    const std::string p = path == "ABS" ? (dir / "escaped/run").string() : path.toStdString();
    json cell = {{"name", "c"}, {"overrides", json::object()}, {"run_dir", "cells/c/run"}, {"config", "cells/c.json"}};
    cell[key.toStdString()] = p;
    writeJsonAtomically(sweep / "sweep.json", {{"format", "poisonlab-sweep"},
                                               {"version", 1},
                                               {"config_name", "toy"},
                                               {"config_hash", "0"},
                                               {"axes", json::array()},
                                               {"cells", {cell}}});
    const auto before = listing(dir.path());
    NullProgress progress;
    const std::string e = errorOf([&] { experiment::LocalSweepRunner::run(sweep, progress); });
    QVERIFY2(e.find((sweep / "sweep.json").string()) == 0, e.c_str());
    QVERIFY2(e.find("\"" + p + "\" refused: " + problem.toStdString()) != std::string::npos, e.c_str());
    QCOMPARE(listing(dir.path()), before); // nothing written anywhere
}

void TestPathSafety::sidecarTokenizerStaysBesideTheWeights()
{
    test::TempDir dir;
    const fs::path weights = dir / "model/final.safetensors";
    fs::create_directories(weights.parent_path());
    clip::saveClip(weights, test::tinyTrainingModel(), nullptr, json::object());
    json side = readJsonFile(clip::sidecarPath(weights));
    side["tokenizer"] = "../../elsewhere/tokenizer";
    writeJsonAtomically(clip::sidecarPath(weights), side);
    const std::string e = errorOf([&] { clip::loadClip(weights); });
    QVERIFY2(e.find(clip::sidecarPath(weights).string() +
                    ": \"../../elsewhere/tokenizer\" refused: tokenizer folder escapes the weights' folder") == 0,
             e.c_str());
}

void TestPathSafety::galleryImagesStayInTheDataset()
{
    // The retrieval explorer shows the images an evaluation record's index.json names.
    test::TempDir dir;
    test::writeToyExperimentData(dir / "toy");
    json config = test::toyExperimentJson(dir / "toy", false);
    config["training"]["epochs"] = 1;
    config["evaluation"]["every_epoch"] = false;
    experiment::RunOptions options;
    options.outDir = dir / "run";
    NullProgress progress;
    experiment::ExperimentRunner::run(experiment::ExperimentConfig::fromJson(config), options, progress);
    const fs::path index = dir / "run/results/embeddings/final/index.json";
    const json original = readJsonFile(index);
    QVERIFY(experiment::RetrievalGallery::load({options.outDir, "final", false}, progress));

    json tampered = original;
    tampered["images"][1]["path"] = "../outside/secret.png";
    writeJsonAtomically(index, tampered);
    std::string e = errorOf([&] { experiment::RetrievalGallery::load({options.outDir, "final", false}, progress); });
    QVERIFY2(e.find(index.string() + ": images[1] \"../outside/secret.png\" refused: image path escapes the "
                                     "dataset root") == 0,
             e.c_str());

    // The record untouched, but the image replaced by a link out of the dataset.
    writeJsonAtomically(index, original);
    const std::string image = original["images"][2]["path"];
    writeImage(dir / "outside/secret.png");
    fs::remove(dir / "toy" / image);
    fs::create_symlink(dir / "outside/secret.png", dir / "toy" / image);
    e = errorOf([&] { experiment::RetrievalGallery::load({options.outDir, "final", false}, progress); });
    QVERIFY2(e.find(index.string() + ": images[2] \"" + image +
                    "\" refused: image path leads outside the dataset root through a symbolic link") == 0,
             e.c_str());
}

void TestPathSafety::runNameCannotLeaveTheOutputFolder_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("dot-dot") << "../../escaped";
    QTest::newRow("absolute") << "ABS";
    QTest::newRow("dot-dot alone") << "..";
}

void TestPathSafety::runNameCannotLeaveTheOutputFolder()
{
    QFETCH(QString, name);
    test::TempDir dir;
    test::writeToyExperimentData(dir / "toy");
    const fs::path work = dir / "a/b/work";
    fs::create_directories(work);
    const std::string n = name == "ABS" ? (dir / "escaped").string() : name.toStdString();
    writeJsonAtomically(work / "exp.json", test::toyExperimentJson(dir / "toy", false, n));
    const auto before = listing(dir.path());
    std::string out;
    const int rc = test::runCommand(
        "cd " + work.string() + " && " + test::binary("poisonlab-cli").string() + " run exp.json", &out);
    QVERIFY2(rc == 2, out.c_str());
    QVERIFY2(out.find("exp.json: \"name\" \"" + n + "\" cannot be a file name") != std::string::npos, out.c_str());
    QVERIFY2(out.find("pass --out DIR") != std::string::npos, out.c_str());
    QCOMPARE(listing(dir.path()), before); // not even runs/ was created
}

POISONLAB_TEST_MAIN(TestPathSafety)
#include "tst_pathsafety.moc"
