// The attack designer's poison preview: it holds exactly the pairs `poisonlab-cli poison` exports
// for the saved config (attacks I, II and III at a couple of rates), pages them, drops a
// superseded refresh's result, names the file when the config is bad, decodes thumbnails at the
// screen's pixel ratio, and its manifest marks exactly its pairs in the open clean dataset.
#include "TestSupport.h"
#include "ToyExperiment.h"
#include "UiTestData.h"

#include "design/PoisonPreviewPanel.h"
#include "design/PoisonedPairListModel.h"
#include "experiment/ExperimentDraft.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/plugin/DatasetOpening.h"
#include "results/RunPoisonMarker.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QListView>
#include <QProcess>
#include <QPushButton>

#include <fstream>
#include <set>
#include <tuple>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::ExperimentDraft;
using poisonlab::ui::PoisonedPairListModel;
using poisonlab::ui::PoisonPreviewPanel;
using poisonlab::ui::RunPoisonMarker;
namespace fs = std::filesystem;

class TestPoisonPreview : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchesTheCliExport_data();
    void matchesTheCliExport();
    void pagesThePairs();
    void thumbnailsAtThePixelRatio();
    void supersededRefreshIsDropped();
    void badConfigNamesTheFile_data();
    void badConfigNamesTheFile();
    void marksThePreviewInTheOpenDataset();
    void similarityAwareMatchesARun();

private:
    /// A draft over the test's PASCAL-layout data (`${data}`) with `attack`, saved to a file.
    void setUpDraft(ExperimentDraft &draft, const json &attack, const std::string &name);
    /// Runs the preview and waits for its end; the manifest (null when it failed).
    std::shared_ptr<const attack::PoisonManifest> preview(PoisonPreviewPanel &panel);

    test::TempDir m_dir;
    fs::path m_data;
};

namespace {

using PairKey = std::tuple<int, std::string, std::string>; // caption, original path, new path

std::set<PairKey> pairKeys(const attack::PoisonManifest &m)
{
    std::set<PairKey> keys;
    for (const auto &p : m.pairs)
        keys.emplace(p.caption, p.originalPath, p.newPath);
    return keys;
}

json labelAttack(double rate, const std::string &unit = "caption")
{
    return {{"plugin", "attack-single-target-label"},
            {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", rate}, {"unit", unit}}}};
}

const int kWaitMs = 60000;

} // namespace

void TestPoisonPreview::initTestCase()
{
    // 4 classes x 8 images x 5 sentences; 2 test images per class: 6 x 5 = 30 sheep training pairs.
    m_data = m_dir / "pascal";
    test::writePascalLayout(m_data, {"sheep", "aeroplane", "dog", "cat"}, 8, 5);
}

void TestPoisonPreview::setUpDraft(ExperimentDraft &draft, const json &attack, const std::string &name)
{
    json doc = {{"name", name},
                {"seed", 3},
                {"datasets",
                 {{"pascal",
                   {{"format", "pascal-sentences"},
                    {"root", "${data}"},
                    {"splits", {{"method", "per-class-test"}, {"test_per_class", 2}, {"seed", 1}}}}}}},
                {"train", {{"datasets", {"pascal"}}, {"split", "train"}}},
                {"attack", attack},
                {"evaluation", {{"dataset", "pascal"}, {"split", "test"}}}};
    draft.setDocument(doc);
    draft.setVariable(QStringLiteral("data"), QString::fromStdString(m_data.string()));
    QString error;
    QVERIFY2(draft.save(QString::fromStdString((m_dir / (name + ".json")).string()), &error), qPrintable(error));
}

std::shared_ptr<const attack::PoisonManifest> TestPoisonPreview::preview(PoisonPreviewPanel &panel)
{
    QSignalSpy ready(&panel, &PoisonPreviewPanel::previewReady);
    QSignalSpy failed(&panel, &PoisonPreviewPanel::previewFailed);
    panel.refresh();
    if (!QTest::qWaitFor([&] { return ready.count() + failed.count() > 0; }, kWaitMs))
        return nullptr;
    if (!failed.isEmpty())
        qWarning("preview failed: %s", qPrintable(failed.first().at(0).toString()));
    return panel.manifest();
}

void TestPoisonPreview::matchesTheCliExport_data()
{
    QTest::addColumn<QByteArray>("attack");
    QTest::addColumn<int>("minPairs");
    const json single = {{"plugin", "attack-single-target-image"},
                         {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 0.4}}}};
    const json multi = {
        {"plugin", "attack-multi-target-label"},
        {"options",
         {{"goals", {{{"source", "sheep"}, {"target", "aeroplane"}}, {{"source", "dog"}, {"target", "cat"}}}},
          {"rate", 0.5},
          {"unit", "image"}}}};
    json multiAll = multi;
    multiAll["options"]["rate"] = 1.0;
    QTest::newRow("I rate 0.4") << QByteArray::fromStdString(single.dump()) << 12;
    QTest::newRow("II rate 0.2") << QByteArray::fromStdString(labelAttack(0.2).dump()) << 6;
    QTest::newRow("II rate 1") << QByteArray::fromStdString(labelAttack(1.0).dump()) << 30;
    QTest::newRow("III rate 0.5 images") << QByteArray::fromStdString(multi.dump()) << 30;
    QTest::newRow("III rate 1 images") << QByteArray::fromStdString(multiAll.dump()) << 60;
}

void TestPoisonPreview::matchesTheCliExport()
{
    QFETCH(QByteArray, attack);
    QFETCH(int, minPairs);
    const QString cli = QCoreApplication::applicationDirPath() + QStringLiteral("/poisonlab-cli");
    if (!QFileInfo::exists(cli)) {
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL(qPrintable(QStringLiteral("poisonlab-cli is missing next to the tests: ") + cli));
        QSKIP(qPrintable(QStringLiteral("poisonlab-cli is not built next to the tests: ") + cli));
    }
    ExperimentDraft draft;
    const std::string name = "equiv-" + std::to_string(qHash(attack));
    setUpDraft(draft, json::parse(attack.toStdString()), name);
    PoisonPreviewPanel panel(&draft);
    const auto manifest = preview(panel);
    QVERIFY(manifest);
    QVERIFY(static_cast<int>(manifest->pairs.size()) >= minPairs);

    const QString out = QString::fromStdString((m_dir / (name + "-p.json")).string());
    QProcess process;
    process.start(cli,
                  {QStringLiteral("poison"), QStringLiteral("--config"), draft.file(), QStringLiteral("--out"), out,
                   QStringLiteral("--var"), QStringLiteral("data=") + QString::fromStdString(m_data.string())});
    QVERIFY(process.waitForFinished(kWaitMs));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    std::ifstream in((m_dir / (name + "-p.manifest.json")).string());
    const auto exported = attack::PoisonManifest::fromJson(json::parse(in));

    QCOMPARE(manifest->poisonedPairs, exported.poisonedPairs);
    QCOMPARE(manifest->trainingPairs, exported.trainingPairs);
    QCOMPARE(manifest->pairs.size(), exported.pairs.size());
    QVERIFY(pairKeys(*manifest) == pairKeys(exported));
    // And the panel says so.
    QVERIFY2(panel.summaryText().startsWith(QString::number(exported.poisonedPairs) +
                                            QStringLiteral(" poisoned pairs of ") +
                                            QString::number(exported.trainingPairs)),
             qPrintable(panel.summaryText()));
}

void TestPoisonPreview::pagesThePairs()
{
    ExperimentDraft draft;
    setUpDraft(draft, labelAttack(1.0), "paging");
    PoisonPreviewPanel panel(&draft);
    const auto manifest = preview(panel);
    QVERIFY(manifest);
    QCOMPARE(manifest->pairs.size(), size_t(30));
    PoisonedPairListModel *model = panel.pairModel();
    QCOMPARE(model->pageSize(), 12);
    QCOMPARE(model->pageCount(), 3);
    QCOMPARE(panel.pageText(), QStringLiteral("page 1 of 3"));
    QCOMPARE(model->rowCount(), 12);
    auto captionAt = [&](int row) { return model->index(row).data(PoisonedPairListModel::CaptionIndexRole).toInt(); };
    for (int row = 0; row < 12; ++row)
        QCOMPARE(captionAt(row), manifest->pairs[row].caption);
    QCOMPARE(model->index(0).data(PoisonedPairListModel::NewPathRole).toString(),
             QString::fromStdString(manifest->pairs[0].newPath));

    panel.setPage(2);
    QCOMPARE(panel.pageText(), QStringLiteral("page 3 of 3"));
    QCOMPARE(model->rowCount(), 6); // 30 - 2 x 12
    for (int row = 0; row < 6; ++row) {
        QCOMPARE(captionAt(row), manifest->pairs[24 + row].caption);
        QCOMPARE(model->index(row).data(PoisonedPairListModel::PairIndexRole).toInt(), 24 + row);
    }
    panel.setPage(7); // clamped
    QCOMPARE(model->page(), 2);
    panel.setPageSize(10);
    QCOMPARE(model->pageCount(), 3);
    QCOMPARE(model->page(), 2); // pair 24 is on the third page of 10
    QCOMPARE(model->rowCount(), 10);
    panel.setPageSize(50);
    QCOMPARE(model->pageCount(), 1);
    QCOMPARE(model->rowCount(), 30);
}

void TestPoisonPreview::thumbnailsAtThePixelRatio()
{
    ExperimentDraft draft;
    setUpDraft(draft, labelAttack(0.2), "thumbnails");
    PoisonPreviewPanel panel(&draft);
    QVERIFY(preview(panel));
    PoisonedPairListModel *model = panel.pairModel();
    model->setThumbnailBound(QSize(40, 40), 2.0);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    const QModelIndex first = model->index(0);
    (void)first.data(PoisonedPairListModel::OriginalThumbnailRole); // asks for the decode
    (void)first.data(PoisonedPairListModel::NewThumbnailRole);
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 2, kWaitMs); // announced, not polled
    const QPixmap original = qvariant_cast<QPixmap>(first.data(PoisonedPairListModel::OriginalThumbnailRole));
    const QPixmap substituted = qvariant_cast<QPixmap>(first.data(PoisonedPairListModel::NewThumbnailRole));
    for (const QPixmap &p : {original, substituted}) {
        QCOMPARE(p.devicePixelRatio(), 2.0);
        // Decoded at 80 physical pixels wide (the PNGs are wider than tall), shown in 40 logical.
        QCOMPARE(p.width(), 80);
        QVERIFY(p.deviceIndependentSize().width() <= 40.0);
    }
    // The decoded pictures, not the grey placeholders: the sheep one is red, the aeroplane one green.
    QVERIFY(original.toImage().pixelColor(70, original.height() - 2).red() > 200);
    QVERIFY(substituted.toImage().pixelColor(70, substituted.height() - 2).green() > 90);
}

void TestPoisonPreview::supersededRefreshIsDropped()
{
    ExperimentDraft draft;
    setUpDraft(draft, labelAttack(0.2), "supersede");
    PoisonPreviewPanel panel(&draft);
    QSignalSpy ready(&panel, &PoisonPreviewPanel::previewReady);
    QSignalSpy failed(&panel, &PoisonPreviewPanel::previewFailed);
    panel.refresh();
    draft.setSection("attack", labelAttack(1.0));
    panel.refresh(); // supersedes the rate-0.2 preview
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() + failed.count() > 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), kWaitMs);
    QTest::qWait(100); // a stale result would be queued by now
    QCOMPARE(failed.count(), 0);
    QCOMPARE(ready.count(), 1);
    const auto manifest = ready.first().at(0).value<std::shared_ptr<const attack::PoisonManifest>>();
    QVERIFY(manifest);
    QCOMPARE(manifest->rate, 1.0);
    QCOMPARE(panel.manifest(), manifest);
    QCOMPARE(panel.manifest()->pairs.size(), size_t(30));
}

void TestPoisonPreview::badConfigNamesTheFile_data()
{
    QTest::addColumn<QByteArray>("attack");
    QTest::addColumn<bool>("unsetData");
    QTest::addColumn<QString>("problem");
    json unknown = labelAttack(0.5);
    unknown["options"]["target"] = "giraffe";
    json rate = labelAttack(0.5);
    rate["options"]["rate"] = 1.5;
    QTest::newRow("unknown class") << QByteArray::fromStdString(unknown.dump()) << false << QStringLiteral("giraffe");
    QTest::newRow("bad rate") << QByteArray::fromStdString(rate.dump()) << false << QStringLiteral("rate");
    QTest::newRow("missing variable") << QByteArray::fromStdString(labelAttack(0.5).dump()) << true
                                      << QStringLiteral("data");
    QTest::newRow("no attack") << QByteArray("null") << false << QStringLiteral("attack");
}

void TestPoisonPreview::badConfigNamesTheFile()
{
    QFETCH(QByteArray, attack);
    QFETCH(bool, unsetData);
    QFETCH(QString, problem);
    ExperimentDraft draft;
    setUpDraft(draft, labelAttack(0.2), "good");
    PoisonPreviewPanel panel(&draft);
    QVERIFY(preview(panel)); // a good preview first: the failure clears it
    setUpDraft(draft, json::parse(attack.toStdString()), "bad");
    if (unsetData)
        draft.setVariable(QStringLiteral("data"), QString());
    QSignalSpy ready(&panel, &PoisonPreviewPanel::previewReady);
    QSignalSpy failed(&panel, &PoisonPreviewPanel::previewFailed);
    panel.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() + ready.count() > 0, kWaitMs);
    QCOMPARE(ready.count(), 0);
    QCOMPARE(failed.count(), 1);
    const QString message = failed.first().at(0).toString();
    const QString file = failed.first().at(1).toString();
    QVERIFY2(message.contains(problem), qPrintable(message));
    QCOMPARE(QFileInfo(file).fileName(), QStringLiteral("bad.json"));
    QCOMPARE(panel.errorText(), message);
    QVERIFY(!panel.manifest());
    QCOMPARE(panel.pairModel()->rowCount(), 0);
    QVERIFY(panel.pairView()->isHidden()); // the message, not an empty list
}

void TestPoisonPreview::marksThePreviewInTheOpenDataset()
{
    ExperimentDraft draft;
    setUpDraft(draft, labelAttack(0.5), "marker");
    PoisonPreviewPanel panel(&draft);
    QSignalSpy show(&panel, &PoisonPreviewPanel::showInBrowserRequested);
    const auto manifest = preview(panel);
    QVERIFY(manifest);
    QCOMPARE(manifest->pairs.size(), size_t(15));
    QPushButton *button = nullptr;
    for (QPushButton *b : panel.findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("Show in pair browser"))
            button = b;
    QVERIFY(button && button->isEnabled());
    button->click();
    QCOMPARE(show.count(), 1);

    // The dataset as the pair browser opens it (its own file order, no split planning).
    NullProgress progress;
    const data::Dataset clean = plugin::openDataset({"pascal-sentences", m_data, {}, json::object()}, progress);
    const auto match = RunPoisonMarker::matchRun(&clean, draft.resolve().toJson(), manifest->toJson());
    QCOMPARE(int(match.kind), int(RunPoisonMarker::RunMatch::Kind::Marked));
    QCOMPARE(match.marking.marked, 15);
    QCOMPARE(match.marking.unmatched, 0);
    std::set<std::tuple<std::string, std::string, std::string>> marked, expected;
    const data::Dataset &d = *match.marking.dataset;
    for (const auto &c : d.captions)
        if (c.poisoned)
            marked.emplace(c.text, d.images[c.originalImage].path, d.images[c.image].path);
    for (const auto &p : manifest->pairs)
        expected.emplace(p.text, p.originalPath, p.newPath);
    QVERIFY(marked == expected);
}

void TestPoisonPreview::similarityAwareMatchesARun()
{
    // The similarity-aware attack embeds with the config's model (here a seeded random init):
    // the preview must pick the same images a run does.
    const fs::path toy = m_dir / "toy";
    test::writeToyExperimentData(toy);
    json doc = test::toyExperimentJson(toy, false, "adaptive");
    doc["attack"] = {{"plugin", "attack-similarity-aware"},
                     {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 0.5}}}};
    doc["training"]["epochs"] = 1;
    doc["evaluation"]["every_epoch"] = false;
    ExperimentDraft draft;
    draft.setDocument(doc);
    QVERIFY(draft.save(QString::fromStdString((m_dir / "adaptive.json").string())));
    PoisonPreviewPanel panel(&draft);
    const auto manifest = preview(panel);
    QVERIFY(manifest);
    QCOMPARE(manifest->attack, std::string("attack-similarity-aware"));
    QCOMPARE(manifest->pairs.size(), size_t(4)); // half of 4 sheep images x 2 captions

    experiment::RunOptions options;
    options.outDir = m_dir / "adaptive-run";
    options.evaluateInitial = false;
    NullProgress progress;
    experiment::ExperimentRunner::run(draft.resolve(), options, progress);
    std::ifstream in((options.outDir / "poison" / "manifest.json").string());
    const auto run = attack::PoisonManifest::fromJson(json::parse(in));
    QVERIFY(pairKeys(*manifest) == pairKeys(run));
}

POISONLAB_TEST_MAIN(TestPoisonPreview)
#include "tst_poisonpreview.moc"
