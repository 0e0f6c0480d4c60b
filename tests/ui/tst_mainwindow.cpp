// The workbench opens a dataset written here in the real PASCAL-sentences layout through the
// pascal-sentences plugin, lists its pairs with their pictures, fills the details, histogram
// and skipped-items panels, and reports a bad dataset in a message box naming the path; the
// window carries the icon compiled into the ui library.
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/ClassHistogramView.h"
#include "browser/PairBrowser.h"
#include "browser/PairDetailPane.h"
#include "browser/PairFilterBar.h"
#include "browser/PairFilterProxyModel.h"
#include "browser/PairTableModel.h"
#include "browser/ScaledImageView.h"
#include "browser/ThumbnailCache.h"
#include "dataset/DatasetController.h"
#include "dataset/OpenProgressWidget.h"
#include "poisonlab/core/Error.h"
#include "results/ResultsPage.h"
#include "window/FlowBar.h"
#include "window/MainWindow.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTabBar>
#include <QTableView>

#include <thread>

using namespace poisonlab;
using poisonlab::ui::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensPascalSentencesDataset();
    void badDatasetShowsTheProblem();
    void cancelButtonCancelsOpening();
    void commandLineOptionsOpenTheDataset();
    void windowHasTheApplicationIcon();
    void windowStateIsRestored();
    void analysisSelectionNarrowsTheBrowser();
    void panelOptionBringsThePanelToTheFront_data();
    void panelOptionBringsThePanelToTheFront();
};

namespace {
data::DatasetSource pascalSource(const std::filesystem::path &root)
{
    data::DatasetSource source;
    source.format = "pascal-sentences";
    source.root = root;
    return source;
}
} // namespace

void TestMainWindow::opensPascalSentencesDataset()
{
    test::TempDir dir;
    test::writePascalLayout(dir.path(), {"aeroplane", "cat", "sheep"}, 2, 5);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.openDataset(pascalSource(dir.path()));
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY2(ended.first().at(0).toBool(), window.errorBox() ? qPrintable(window.errorBox()->text()) : "failed");
    QVERIFY(window.dataset());

    auto *browser = window.browser();
    QCOMPARE(browser->model()->rowCount(), 30); // 3 classes x 2 images x 5 sentences
    QCOMPARE(browser->proxy()->rowCount(), 6);  // the grid shows each image once
    QCOMPARE(window.histogram()->counts().total, QVector<int>({2, 2, 2}));
    QVERIFY(window.windowTitle().contains("PoisonLab"));

    // The visible thumbnails are decoded and shown.
    const QSize size = browser->model()->thumbnailSize();
    for (int image = 0; image < 6; ++image)
        QTRY_VERIFY2(window.thumbnails()->contains(image, size), qPrintable(QString::number(image)));
    const QPixmap thumb = qvariant_cast<QPixmap>(browser->proxy()->index(0, 0).data(Qt::DecorationRole));
    QCOMPARE(thumb.size(), QSize(96, 64)); // the first picture, not enlarged to 128

    // The first pair is selected and detailed: its picture and all five captions.
    QCOMPARE(window.detailPane()->caption(), browser->currentCaption());
    QVERIFY(window.detailPane()->caption() >= 0);
    QCOMPARE(window.detailPane()->captionList()->count(), 5);
    QTRY_VERIFY(window.thumbnails()->contains(window.detailPane()->image(), ui::PairDetailPane::kImageSize));
    QTRY_COMPARE(window.detailPane()->imageView()->pixmap().height(), 64);

    // Filters reach the views: the class filter and the caption search.
    browser->filterBar()->selectClass(2); // sheep
    QCOMPARE(browser->proxy()->rowCount(), 2);
    browser->setViewMode(ui::PairBrowser::ViewMode::Table); // lists every pair
    QCOMPARE(browser->proxy()->rowCount(), 10);
    browser->filterBar()->searchField()->setText("number 1, sentence 4");
    QTRY_COMPARE(browser->proxy()->rowCount(), 1);
    QVERIFY(browser->tableView()->isVisible());

    // The skipped-items panel lists what the importer skipped.
    QCOMPARE(window.skippedView()->model()->rowCount(), int(window.dataset()->skipped.size()));
}

void TestMainWindow::badDatasetShowsTheProblem()
{
    test::TempDir dir;
    const auto missing = dir.path() / "no-such-dataset";
    MainWindow window;
    window.show();
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.openDataset(pascalSource(missing));
    QTRY_COMPARE(ended.count(), 1);
    QCOMPARE(ended.first().at(0).toBool(), false);
    QVERIFY(window.errorBox());
    const QString shown = window.errorBox()->text() + window.errorBox()->informativeText();
    QVERIFY2(shown.contains("no-such-dataset"), qPrintable(shown));
    QVERIFY(!window.dataset());
    QVERIFY(!window.progressWidget()->isVisible());
}

void TestMainWindow::cancelButtonCancelsOpening()
{
    // A loader that reads "records" until cancelled stands in for a huge dataset.
    MainWindow window(nullptr, [](const data::DatasetSource &, ProgressReporter &progress) -> data::Dataset {
        for (long long i = 0;; ++i) {
            progress.report(ProgressEvent{"reading", i, 1000000, {}, {}});
            progress.throwIfCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    window.show();
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    QSignalSpy cancelled(window.controller(), &ui::DatasetController::cancelled);
    window.openDataset(pascalSource("/huge"));
    QVERIFY(window.progressWidget()->isVisible());
    QTRY_VERIFY(window.progressWidget()->bar()->maximum() == 1000); // progress arrived
    QTest::mouseClick(window.progressWidget()->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE(ended.count(), 1);
    QCOMPARE(ended.first().at(0).toBool(), false);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!window.progressWidget()->isVisible());
    QVERIFY(!window.dataset());
    QVERIFY(!window.errorBox()); // a cancel is not an error
}

void TestMainWindow::commandLineOptionsOpenTheDataset()
{
    test::TempDir dir;
    test::writePascalLayout(dir.path(), {"dog"}, 1, 5);
    MainWindow window;
    window.show();
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    ui::WorkbenchOptions options;
    options.datasetRoot = QString::fromStdString(dir.path().string());
    options.format = "pascal-sentences";
    options.persistLayout = false;
    window.applyOptions(options);
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(window.dataset());
    QCOMPARE(window.browser()->model()->rowCount(), 5);
}

// poisonlab_ui is a static library: its compiled .qrc registers itself only when referenced.
void TestMainWindow::windowHasTheApplicationIcon()
{
    MainWindow window;
    QVERIFY(QFile::exists(QStringLiteral(":/icons/poisonlab.svg")));
    QVERIFY(!window.windowIcon().pixmap(32, 32).isNull());
}

// What a user arranged comes back next time: the step, the browser's view mode, the size.
void TestMainWindow::windowStateIsRestored()
{
    QSettings().clear();
    {
        MainWindow first;
        first.applyOptions({}); // persistLayout is on by default
        first.resize(1111, 777);
        first.browser()->setViewMode(ui::PairBrowser::ViewMode::Table);
        first.showPanel(QStringLiteral("train"));
        QVERIFY(first.close());
    }
    MainWindow second;
    QCOMPARE(int(second.flowBar()->current()), int(ui::FlowBar::Data)); // before the settings apply
    second.applyOptions({});
    QCOMPARE(int(second.flowBar()->current()), int(ui::FlowBar::Train));
    QCOMPARE(second.pages()->currentIndex(), int(ui::FlowBar::Train));
    QCOMPARE(second.browser()->viewMode(), ui::PairBrowser::ViewMode::Table);
    QCOMPARE(second.size(), QSize(1111, 777));
    QSettings().clear();
}

// A selection sent by an analysis view (image paths, as runs record them) narrows the browser to
// those images' pairs on the Data step; paths not in the open dataset are ignored.
void TestMainWindow::analysisSelectionNarrowsTheBrowser()
{
    test::TempDir dir;
    test::writePascalLayout(dir / "pascal", {"aeroplane", "cat", "sheep"}, 3, 2);
    MainWindow window;
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    data::DatasetSource source;
    source.format = "pascal-sentences";
    source.root = dir / "pascal";
    window.openDataset(source);
    QTRY_COMPARE(ended.count(), 1);
    window.showPanel(QStringLiteral("results"));
    window.browser()->proxy()->setOnePerImage(false);
    const int found =
        window.showImagesInBrowser({QStringLiteral("dataset/cat/cat_1.png"),
                                    QStringLiteral("dataset/sheep/sheep_2.png"), QStringLiteral("elsewhere/x.png")},
                                   QStringLiteral("the embedding map"));
    QCOMPARE(found, 2);
    QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Data));
    QCOMPARE(window.browser()->proxy()->rowCount(), 4); // two images, two captions each
    QVERIFY(window.browser()->filterBar()->subsetChip()->isVisibleTo(window.browser()));
    window.browser()->proxy()->clearImageSubset();
    QCOMPARE(window.browser()->proxy()->rowCount(), 18);
}

void TestMainWindow::panelOptionBringsThePanelToTheFront_data()
{
    QTest::addColumn<QString>("panel");
    for (const QString &name : ui::WorkbenchCommandLine::panelNames())
        QTest::newRow(qPrintable(name)) << name;
}

// Every name --panel accepts is a step or a dock of the window. A step becomes the current page
// and the FlowBar's checked step; a dock is shown on the Data step, the current tab where it
// shares its place with others (Skipped items behind the histogram), and shown where it stands alone.
void TestMainWindow::panelOptionBringsThePanelToTheFront()
{
    QFETCH(QString, panel);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::WorkbenchOptions options;
    options.panel = panel;
    options.persistLayout = false;
    if (ui::FlowBar::fromId(panel) < 0)
        window.showPanel(QStringLiteral("train")); // a dock or a Results tab must bring its step
    window.applyOptions(options);
    if (ui::ResultsPage::tabIds().contains(panel) || panel == QLatin1String("sweep")) { // a tab on Results
        QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Results));
        QCOMPARE(window.resultsPage()->currentWidget()->objectName(), panel);
        return;
    }
    if (const int step = ui::FlowBar::fromId(panel); step >= 0) {
        QCOMPARE(window.pages()->currentIndex(), step);
        QCOMPARE(int(window.flowBar()->current()), step);
        QVERIFY(window.flowBar()->action(ui::FlowBar::Step(step))->isChecked());
        return;
    }
    QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Data));
    auto *dock = window.findChild<QDockWidget *>(panel);
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    if (window.tabifiedDockWidgets(dock).isEmpty())
        return;
    int tabBars = 0;
    for (QTabBar *bar : window.findChildren<QTabBar *>()) {
        bool holdsIt = false;
        for (int i = 0; i < bar->count(); ++i)
            holdsIt = holdsIt || bar->tabText(i) == dock->windowTitle();
        if (!holdsIt)
            continue;
        ++tabBars;
        QCOMPARE(bar->tabText(bar->currentIndex()), dock->windowTitle());
    }
    QCOMPARE(tabBars, 1);
}

POISONLAB_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
