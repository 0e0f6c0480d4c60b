// The Results step hands its analysis views the run shown and its clean counterpart, lazily: a
// view gets them when it is the current tab and they changed since it last got them (opening a
// run starts no analysis nobody looks at); a clean run comes without a counterpart.
#include "TestSupport.h"
#include "analysis/AnalysisRuns.h"
#include "results/ResultsPage.h"
#include "results/RunViewer.h"

#include "poisonlab/core/AtomicFile.h"

#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace poisonlab;
namespace fs = std::filesystem;

namespace {

/// An analysis view that only records what it was given.
class RecordingView : public QWidget {
public:
    void setRuns(const ui::AnalysisRuns &runs) { received << runs; }
    QList<ui::AnalysisRuns> received;
};

// A golden run copied to `to`, with the config that says whether it was attacked.
void copyRun(const fs::path &from, const fs::path &to, bool attack)
{
    fs::copy(from, to, fs::copy_options::recursive);
    writeJsonAtomically(
        to / "config.json",
        {{"name", to.filename().string()},
         {"attack", attack ? nlohmann::json{{"plugin", "attack-single-target-label"}} : nlohmann::json(nullptr)}});
}

QString str(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

} // namespace

class TestResultsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void analysisViewsGetTheRunAndItsCleanCounterpart();
};

void TestResultsPage::analysisViewsGetTheRunAndItsCleanCounterpart()
{
    test::TempDir dir;
    const fs::path golden = test::testDataDir() / "compare";
    copyRun(golden / "attack2-r1", dir / "attack", true);
    copyRun(golden / "clean", dir / "attack-clean", false);
    ui::ResultsPage page;
    RecordingView early;
    page.addAnalysisView(&early, QStringLiteral("early"));
    QVERIFY(early.received.isEmpty()); // not the current tab: nothing yet

    QSignalSpy shown(page.runViewer(), &ui::RunViewer::runOpened);
    page.showRun(str(dir / "attack"));
    QTRY_COMPARE(shown.count(), 1);
    QCOMPARE(page.analysisRuns().poisoned, str(fs::weakly_canonical(dir / "attack")));
    QCOMPARE(page.analysisRuns().clean, str(fs::weakly_canonical(dir / "attack-clean")));
    QVERIFY(early.received.isEmpty()); // the Run tab is in front

    page.setCurrentWidget(&early);
    QCOMPARE(early.received.size(), 1);
    QCOMPARE(early.received.first(), page.analysisRuns());
    page.setCurrentIndex(0);
    page.setCurrentWidget(&early); // the same runs again: not given twice
    QCOMPARE(early.received.size(), 1);

    // The clean run itself: no counterpart; the view in front gets it at once.
    page.showRun(str(dir / "attack-clean"));
    QTRY_COMPARE(shown.count(), 2);
    page.setCurrentWidget(&early);
    QTRY_COMPARE(early.received.size(), 2);
    QCOMPARE(early.received.last().poisoned, str(fs::weakly_canonical(dir / "attack-clean")));
    QVERIFY(early.received.last().clean.isEmpty());

    // A clean run picked by hand replaces the one found.
    page.setCleanRun(str(dir / "attack"));
    QCOMPARE(early.received.size(), 3);
    QCOMPARE(early.received.last().clean, str(fs::weakly_canonical(dir / "attack")));
}

POISONLAB_TEST_MAIN(TestResultsPage)
#include "tst_resultspage.moc"
