#include "window/MainWindow.h"

#include "browser/ClassHistogramView.h"
#include "browser/PairBrowser.h"
#include "browser/PairDetailPane.h"
#include "browser/PairFilterBar.h"
#include "browser/PairFilterProxyModel.h"
#include "browser/PairTableModel.h"
#include "browser/ThumbnailCache.h"
#include "charts/ReportExporter.h"
#include "dataset/DatasetController.h"
#include "dataset/DatasetSummary.h"
#include "dataset/OpenDatasetDialog.h"
#include "dataset/OpenProgressWidget.h"
#include "dataset/SkippedItemsModel.h"
#include "design/AttackDesignerPanel.h"
#include "design/PoisonPreviewPanel.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDataBar.h"
#include "experiment/ExperimentDraft.h"
#include "experiment/ExperimentFileActions.h"
#include "experiment/PresetCatalog.h"
#include "results/ResultsPage.h"
#include "results/RunComparisonView.h"
#include "results/RunPoisonMarker.h"
#include "results/RunViewer.h"
#include "sweep/SweepPage.h"
#include "train/TrainPanel.h"
#include "window/AboutText.h"
#include "window/FlowBar.h"
#include "window/RecentItems.h"
#include "window/RecentMenus.h"
#include "window/ScreenshotTaker.h"

#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/report/RunResults.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSet>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>
#include <QWindow>

// The icon's .qrc is compiled into the static poisonlab_ui; a linker keeps its registration only
// when something references it, so the window does (Q_INIT_RESOURCE must sit outside namespaces).
static void initUiResources()
{
    Q_INIT_RESOURCE(poisonlab);
}

namespace poisonlab::ui {

MainWindow::MainWindow(QWidget *parent, DatasetController::Loader loader) : QMainWindow(parent)
{
    initUiResources();
    setWindowTitle(QStringLiteral("PoisonLab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/poisonlab.svg")));
    setObjectName(QStringLiteral("MainWindow"));
    resize(1500, 940);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    // Side panels run the full height; bottom panels sit under the browser only.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);

    m_controller = new DatasetController(this, std::move(loader));
    m_thumbnails = new ThumbnailCache(this);
    m_thumbnails->setDevicePixelRatio(devicePixelRatioF());
    m_recent = new RecentMenus(this);
    m_reportExporter = new ReportExporter(this);
    m_browser = new PairBrowser(m_thumbnails, this);
    m_draft = new ExperimentDraft(this);
    m_experimentFiles = new ExperimentFileActions(m_draft, this);

    m_summary = new QLabel(tr("No dataset open — File › Open Dataset… (Ctrl+O)"), this);
    statusBar()->addWidget(m_summary, 1);
    m_progress = new OpenProgressWidget(this);
    statusBar()->addPermanentWidget(m_progress);

    createPanels();
    createSteps();
    createActions();
    createMenus();
    m_defaultState = saveState();

    connect(m_controller, &DatasetController::started, m_progress, &OpenProgressWidget::start);
    connect(m_controller, &DatasetController::progress, m_progress, &OpenProgressWidget::setProgress);
    connect(m_progress, &OpenProgressWidget::cancelRequested, m_controller, &DatasetController::cancel);
    connect(m_controller, &DatasetController::opened, this, [this](DatasetPtr dataset, double seconds) {
        m_progress->finish();
        m_cleanDataset = dataset;
        m_openSeconds = seconds;
        m_recent->addDataset(m_lastSource);
        m_dataBar->setOpenDataset(m_lastSource, dataset);
        showDataset(std::move(dataset), seconds);
        markRunPoison(); // the run in the viewer may be about this dataset
        Q_EMIT openingEnded(true);
    });
    connect(m_controller, &DatasetController::failed, this, [this](const QString &message, const QString &file) {
        m_progress->finish();
        showOpenError(message, file);
        Q_EMIT openingEnded(false);
    });
    connect(m_controller, &DatasetController::cancelled, this, [this] {
        m_progress->finish();
        statusBar()->showMessage(tr("Opening cancelled."), 5000);
        Q_EMIT openingEnded(false);
    });
    connect(m_browser, &PairBrowser::currentCaptionChanged, m_detail, &PairDetailPane::showCaption);
    connect(m_browser, &PairBrowser::currentCaptionChanged, this, [this](int caption) {
        // One selection: the pair picked in the browser is marked on the embedding map too.
        if (m_dataset && caption >= 0 && size_t(caption) < m_dataset->captions.size()) {
            const int image = m_dataset->captions[caption].image;
            if (image >= 0 && size_t(image) < m_dataset->images.size())
                m_results->selectImagesInViews({QString::fromStdString(m_dataset->images[image].path)});
        }
    });
    connect(m_histogram, &ClassHistogramView::classClicked, this,
            [this](int cls) { m_browser->filterBar()->selectClass(cls); });
    connect(m_train, &TrainPanel::runFinished, this, [this](const QString &runDir, const QString &cleanDir) {
        m_flow->setDone(FlowBar::Train, true, tr("Last run: %1").arg(runDir));
        if (!cleanDir.isEmpty()) // the clean reference beside the attacked run, in one table
            compareRuns({cleanDir, runDir});
        openRun(runDir);
    });
    connect(m_designer, &AttackDesignerPanel::trainRequested, this, [this] { showStep(FlowBar::Train); });
    connect(m_designer->previewPanel(), &PoisonPreviewPanel::showInBrowserRequested, this,
            &MainWindow::markPreviewPoison);
    connect(m_draft, &ExperimentDraft::sectionChanged, this, &MainWindow::updateAttackStep);
    connect(m_draft, &ExperimentDraft::reset, this, &MainWindow::updateAttackStep);
    connect(m_designer->previewPanel(), &PoisonPreviewPanel::previewReady, this, &MainWindow::updateAttackStep);
    updateAttackStep();
    connect(m_runViewer, &RunViewer::openRunRequested, this, &MainWindow::chooseRun);
    connect(m_runViewer, &RunViewer::runOpened, this, &MainWindow::runShown);
    connect(m_runViewer, &RunViewer::runFailed, this,
            [this] { statusBar()->showMessage(tr("Could not open the run (see Results)."), 8000); });
    connect(m_runViewer, &RunViewer::openDatasetRequested, this, [this] {
        if (m_runViewer->offeredDataset())
            openDataset(*m_runViewer->offeredDataset()); // marked when it has opened
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::createPanels()
{
    m_detail = new PairDetailPane(m_thumbnails, m_browser->model(), this);
    QDockWidget *details = addPanel(QStringLiteral("details"), tr("Details"), m_detail, Qt::RightDockWidgetArea);

    m_histogram = new ClassHistogramView(this);
    QDockWidget *histogram =
        addPanel(QStringLiteral("classHistogram"), tr("Class histogram"), m_histogram, Qt::BottomDockWidgetArea);

    m_skipped = new SkippedItemsModel(this);
    m_skippedView = new QTableView(this);
    m_skippedView->setObjectName(QStringLiteral("skippedItems"));
    m_skippedView->setModel(m_skipped);
    m_skippedView->setAlternatingRowColors(true);
    m_skippedView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_skippedView->verticalHeader()->hide();
    m_skippedView->horizontalHeader()->setStretchLastSection(true);
    m_skippedView->setColumnWidth(0, 420);
    m_skippedDock =
        addPanel(QStringLiteral("skippedItems"), tr("Skipped items"), m_skippedView, Qt::BottomDockWidgetArea);
    tabifyDockWidget(histogram, m_skippedDock);

    histogram->raise();
    m_dataDocks = {details, histogram, m_skippedDock};
    resizeDocks({details}, {420}, Qt::Horizontal);
    resizeDocks({histogram}, {250}, Qt::Vertical);
}

// The four steps: a page each in the middle of the window, chosen on the FlowBar.
void MainWindow::createSteps()
{
    m_flow = new FlowBar(this);
    addToolBar(Qt::TopToolBarArea, m_flow);
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("stepPages"));

    auto *dataPage = new QWidget(this);
    auto *dataLayout = new QVBoxLayout(dataPage);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    dataLayout->setSpacing(0);
    m_dataBar = new ExperimentDataBar(m_draft, dataPage);
    dataLayout->addWidget(m_dataBar);
    dataLayout->addWidget(m_browser, 1);
    m_pages->addWidget(dataPage);

    m_designer = new AttackDesignerPanel(m_draft, this);
    m_pages->addWidget(m_designer);
    m_train = new TrainPanel(m_draft, this);
    m_pages->addWidget(m_train);
    m_results = new ResultsPage(this);
    m_runViewer = m_results->runViewer();
    m_comparison = m_results->comparison();
    m_pages->addWidget(m_results);
    connect(m_results, &ResultsPage::runMade, this, &MainWindow::openRun);
    connect(m_results, &ResultsPage::imagesSelected, this, &MainWindow::showImagesInBrowser);
    connect(m_results, &ResultsPage::designAttackRequested, this, &MainWindow::designAttack);
    m_sweepPage = new SweepPage(this); // a tab of Results: where a user looks for figures
    m_results->addTab(m_sweepPage, tr("Sweep"));
    connect(m_sweepPage, &SweepPage::openRunRequested, this, &MainWindow::openRun);
    connect(m_sweepPage, &SweepPage::openSweepRequested, this, &MainWindow::chooseSweep);
    connect(m_sweepPage, &SweepPage::sweepShown, m_recent, &RecentMenus::addSweep);
    setCentralWidget(m_pages);

    connect(m_flow, &FlowBar::stepChosen, this, [this](FlowBar::Step step) { showStep(step); });
    connect(m_dataBar, &ExperimentDataBar::openExperimentRequested, m_experimentFiles->openAction(), &QAction::trigger);
    connect(m_experimentFiles, &ExperimentFileActions::opened, this, &MainWindow::updateTitle);
    connect(m_experimentFiles, &ExperimentFileActions::saved, this, &MainWindow::updateTitle);
    connect(m_experimentFiles, &ExperimentFileActions::failed, this, [this](const QString &title, const QString &text) {
        auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("experimentErrorBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // the draft is unchanged; the window keeps working
    });
    // The demo experiment, ready to run: the demo data and the demo CLIP.
    m_draft->setVariable(QStringLiteral("data"), PresetCatalog::defaultDataDir());
    m_draft->setVariable(QStringLiteral("model"), PresetCatalog::defaultModelPath());
    m_experimentFiles->loadPreset(QStringLiteral("demo-attack2"));
}

void MainWindow::showStep(int step)
{
    m_pages->setCurrentIndex(step);
    if (m_flow->current() != step)
        m_flow->setCurrent(FlowBar::Step(step));
    // The data panels belong to the Data step; they come back as they were when it returns.
    if (step == FlowBar::Data) {
        for (QDockWidget *dock : std::as_const(m_hiddenDataDocks))
            dock->show();
        m_hiddenDataDocks.clear();
    } else {
        for (QDockWidget *dock : std::as_const(m_dataDocks))
            if (dock->isVisible() && !dock->isFloating()) {
                m_hiddenDataDocks << dock;
                dock->hide();
            }
    }
}

void MainWindow::updateTitle()
{
    const QString data = m_dataset ? DatasetSummary::name(*m_dataset) : QString();
    const QString experiment = m_experimentFiles->displayName();
    setWindowTitle(data.isEmpty() ? tr("%1 — PoisonLab").arg(experiment)
                                  : tr("%1 · %2 — PoisonLab").arg(experiment, data));
}

QDockWidget *MainWindow::addPanel(const QString &id, const QString &title, QWidget *panel, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(id);
    dock->setWidget(panel);
    addDockWidget(area, dock);
    if (m_panelsMenu)
        m_panelsMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createActions()
{
    m_openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Dataset…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(tr("Open a dataset: choose its format, root folder and annotation files"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseDataset);

    m_closeAction = new QAction(tr("&Close Dataset"), this);
    m_closeAction->setShortcut(QKeySequence::Close);
    m_closeAction->setEnabled(false);
    connect(m_closeAction, &QAction::triggered, this, &MainWindow::closeDataset);

    m_openRunAction = new QAction(tr("Open &Run…"), this);
    m_openRunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openRunAction->setStatusTip(tr("Show a run directory's results, and mark its poisoned pairs in the browser"));
    connect(m_openRunAction, &QAction::triggered, this, &MainWindow::chooseRun);

    m_openSweepAction = new QAction(tr("Open S&weep…"), this);
    m_openSweepAction->setStatusTip(
        tr("Show a sweep folder (poisonlab-cli sweep): its cells, Hit@K, MinRank and utility against a swept key"));
    connect(m_openSweepAction, &QAction::triggered, this, &MainWindow::chooseSweep);

    m_exportHistogramAction = new QAction(tr("&Export Class Histogram…"), this);
    m_exportHistogramAction->setEnabled(false);
    connect(m_exportHistogramAction, &QAction::triggered, m_histogram, &ClassHistogramView::exportInteractively);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_aboutAction = new QAction(tr("&About PoisonLab"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    file->addAction(m_closeAction);
    file->addAction(m_openRunAction);
    file->addAction(m_openSweepAction);
    file->addSeparator();
    file->addMenu(m_experimentFiles->presetMenu());
    file->addAction(m_experimentFiles->openAction());
    file->addAction(m_experimentFiles->saveAction());
    file->addAction(m_experimentFiles->saveAsAction());
    file->addSeparator();
    file->addMenu(m_recent->datasetsMenu());
    file->addMenu(m_recent->runsMenu());
    connect(m_recent, &RecentMenus::datasetChosen, this, &MainWindow::openDataset);
    connect(m_recent, &RecentMenus::runChosen, this, &MainWindow::openRun);
    connect(m_recent, &RecentMenus::sweepChosen, this, &MainWindow::openSweep);
    connect(m_recent, &RecentMenus::entryGone, this, [this](const QString &path, bool dataset) {
        if (dataset)
            showOpenError(tr("The dataset folder %1 is gone; it was removed from Recent Datasets.").arg(path), path);
        else
            statusBar()->showMessage(tr("The run folder %1 is gone; it was removed from Recent Runs.").arg(path), 8000);
    });
    file->addSeparator();
    file->addAction(m_exportHistogramAction);
    QAction *exportReport = file->addAction(tr("Export &Report…"), this, [this] {
        if (m_results->analysisRuns().poisoned.isEmpty()) {
            statusBar()->showMessage(tr("Open a run first (File › Open Run…)."), 8000);
            return;
        }
        m_reportExporter->exportInteractively(this, m_results->analysisRuns());
    });
    exportReport->setStatusTip(tr("Write the self-contained HTML report of the run shown (and its clean reference)"));
    file->addSeparator();
    file->addAction(m_quitAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addActions(m_browser->viewModeActions());
    m_viewMenu->addSeparator();
    m_panelsMenu = m_viewMenu->addMenu(tr("&Panels"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        m_panelsMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addAction(tr("&Reset Layout"), this, [this] {
        restoreState(m_defaultState);
        for (QDockWidget *dock : findChildren<QDockWidget *>())
            dock->show();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::applyOptions(const WorkbenchOptions &options)
{
    m_persistLayout = options.persistLayout && options.screenshotPath.isEmpty();
    if (m_persistLayout)
        restoreLayout();
    if (!options.experimentPath.isEmpty())
        m_experimentFiles->open(options.experimentPath); // a bad file: a message box, the demo stays
    // Connected before the screenshot, so the picture shows the run (the comparison in front when
    // several were given).
    // A --panel given with --run comes to the front once the run is shown (it is read on a thread).
    auto showRuns = [this, dir = options.runDir, compare = options.compareRuns, panel = options.panel] {
        if (!dir.isEmpty() && !panel.isEmpty())
            connect(
                m_runViewer, &RunViewer::runOpened, this, [this, panel] { showPanel(panel); },
                Qt::SingleShotConnection);
        if (!dir.isEmpty())
            openRun(dir);
        if (compare.size() > 1)
            compareRuns(compare);
    };
    if (!options.runDir.isEmpty() && !options.datasetRoot.isEmpty())
        connect(this, &MainWindow::openingEnded, this, showRuns, Qt::SingleShotConnection);
    else
        showRuns();
    if (!options.sweepDir.isEmpty())
        openSweep(options.sweepDir);
    if (options.train) {
        if (!options.screenshotPath.isEmpty())
            setCloseQuestion([] { return true; }); // the screenshot's quit stops the run, resumable
        m_train->setReplaceExisting(true);
        showStep(FlowBar::Train);
        m_train->start();
    }
    if (!options.panel.isEmpty())
        showPanel(options.panel);
    ScreenshotTaker *screenshot = nullptr;
    if (!options.screenshotPath.isEmpty()) {
        screenshot = new ScreenshotTaker(this, m_thumbnails, options.screenshotPath);
        screenshot->setMinimumDelay(options.screenshotDelayMs);
    }
    if (screenshot && !options.sweepDir.isEmpty() && options.datasetRoot.isEmpty()) {
        // The picture waits for the sweep's cells, read on a thread.
        connect(m_sweepPage, &SweepPage::sweepShown, screenshot, &ScreenshotTaker::start);
        connect(m_sweepPage, &SweepPage::sweepFailed, screenshot, &ScreenshotTaker::start);
        screenshot = nullptr;
    }
    if (!options.datasetRoot.isEmpty()) {
        data::DatasetSource source;
        source.format = options.format.toStdString();
        source.root = options.datasetRoot.toStdString();
        for (const QString &file : options.annotations)
            source.annotations.emplace_back(file.toStdString());
        if (screenshot)
            connect(this, &MainWindow::openingEnded, screenshot, &ScreenshotTaker::start);
        openDataset(source);
    } else if (screenshot) {
        screenshot->start();
    }
}

bool MainWindow::showPanel(const QString &id)
{
    if (ResultsPage::tabIds().contains(id) || id == QLatin1String("sweep")) { // a tab of the Results step
        showStep(FlowBar::Results);
        return m_results->showTab(id);
    }
    // "runResults" and "experiment" were docks before the steps; scripts may still name them.
    const int step = FlowBar::fromId(id == QLatin1String("runResults")   ? QStringLiteral("results")
                                     : id == QLatin1String("experiment") ? QStringLiteral("train")
                                                                         : id);
    if (step >= 0) {
        showStep(step);
        return true;
    }
    if (m_flow->current() != FlowBar::Data)
        showStep(FlowBar::Data);
    auto *dock = findChild<QDockWidget *>(id, Qt::FindDirectChildrenOnly);
    if (!dock)
        return false;
    dock->show();
    dock->raise(); // the front tab when it shares its place with others
    return true;
}

void MainWindow::openDataset(const data::DatasetSource &source)
{
    m_lastSource = source;
    m_controller->open(source);
}

void MainWindow::chooseDataset()
{
    OpenDatasetDialog dialog(this);
    dialog.setSource(m_lastSource);
    if (dialog.exec() == QDialog::Accepted)
        openDataset(dialog.source());
}

void MainWindow::closeDataset()
{
    m_cleanDataset.reset();
    showDataset(nullptr, 0);
}

void MainWindow::chooseRun()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Run"), m_train->outputDir());
    if (!dir.isEmpty())
        openRun(dir);
}

void MainWindow::chooseSweep()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Sweep"), m_sweepPage->sweepDir());
    if (!dir.isEmpty())
        openSweep(dir);
}

void MainWindow::openSweep(const QString &dir)
{
    showStep(FlowBar::Results);
    m_results->setCurrentWidget(m_sweepPage);
    m_sweepPage->openSweep(dir);
}

void MainWindow::openRun(const QString &dir)
{
    showStep(FlowBar::Results);
    m_results->showRun(dir);
}

void MainWindow::runShown(const QString &dir)
{
    m_recent->addRun(dir);
    m_flow->setDone(FlowBar::Results, true, tr("Showing %1").arg(dir));
    markRunPoison();
}

void MainWindow::compareRuns(const QStringList &dirs)
{
    showStep(FlowBar::Results);
    m_results->compare(dirs);
}

int MainWindow::showImagesInBrowser(const QStringList &imagePaths, const QString &from)
{
    if (!m_dataset)
        return 0;
    const QSet<QString> wanted(imagePaths.begin(), imagePaths.end());
    QList<int> images;
    for (size_t i = 0; i < m_dataset->images.size(); ++i)
        if (wanted.contains(QString::fromStdString(m_dataset->images[i].path)))
            images << int(i);
    m_browser->proxy()->setImageSubset(images, from);
    showStep(FlowBar::Data);
    if (images.isEmpty())
        statusBar()->showMessage(tr("None of the %1 selected images is in the open dataset.").arg(imagePaths.size()),
                                 8000);
    return int(images.size());
}

void MainWindow::markRunPoison()
{
    const auto run = m_runViewer->results();
    if (!run)
        return;
    const auto match = RunPoisonMarker::matchRun(m_cleanDataset.get(), run->config, run->poison);
    const QString runName = QString::fromStdString(run->name());
    using Kind = RunPoisonMarker::RunMatch::Kind;
    if (match.kind == Kind::OtherDataset && match.source)
        m_runViewer->offerDataset(match.source, tr("Its poisoned pairs are in %1, which is not the open dataset.")
                                                    .arg(DatasetController::describe(*match.source)));
    if (match.kind == Kind::Marked || match.kind == Kind::NothingMatched)
        m_runViewer->offerDataset(std::nullopt);
    if (match.kind == Kind::NothingMatched)
        statusBar()->showMessage(tr("None of the poisoned pairs of run %1 is in this dataset.").arg(runName), 8000);
    if (match.kind != Kind::Marked)
        return;
    showDataset(match.marking.dataset, m_openSeconds);
    m_browser->filterBar()->poisonBox()->setCurrentIndex(1); // poisoned only: what a reviewer looks at
    if (m_browser->proxy()->rowCount() > 0)
        m_browser->selectCaption(m_browser->proxy()->mapToSource(m_browser->proxy()->index(0, 0)).row());
    QString text = tr("Marked %1 poisoned pairs of run %2").arg(match.marking.marked).arg(runName);
    if (match.marking.unmatched > 0)
        text += tr(" (%1 not found in this dataset)").arg(match.marking.unmatched);
    statusBar()->showMessage(text, 10000);
}

// "Show in pair browser" of the attack preview: its pairs get the red frame in the open dataset,
// as a finished run's do, and the Data step comes to the front.
void MainWindow::markPreviewPoison()
{
    const auto manifest = m_designer->previewPanel()->manifest();
    if (!manifest || !m_cleanDataset) {
        statusBar()->showMessage(m_cleanDataset ? tr("No preview yet: press Preview on the Attack step.")
                                                : tr("Open the experiment's dataset first (Data step)."),
                                 8000);
        return;
    }
    nlohmann::json config;
    try {
        config = m_draft->resolve().toJson();
    } catch (const std::exception &e) {
        statusBar()->showMessage(QString::fromUtf8(e.what()), 10000);
        return;
    }
    const auto match = RunPoisonMarker::matchRun(m_cleanDataset.get(), config, manifest->toJson());
    using Kind = RunPoisonMarker::RunMatch::Kind;
    if (match.kind != Kind::Marked) {
        statusBar()->showMessage(tr("The previewed pairs are not in the open dataset: open the experiment's "
                                    "training data on the Data step."),
                                 10000);
        return;
    }
    showDataset(match.marking.dataset, m_openSeconds);
    showStep(FlowBar::Data);
    m_browser->filterBar()->poisonBox()->setCurrentIndex(1); // poisoned only
    statusBar()->showMessage(
        tr("Marked the %1 pairs the attack would poison (preview, nothing trained)").arg(match.marking.marked), 10000);
}

// A cell of the class-pair grid: Attack II on that pair, the rest of the attack as it was.
void MainWindow::designAttack(const QString &source, const QString &target)
{
    m_draft->useAttackPair(source, target);
    m_designer->reload();
    showStep(FlowBar::Attack);
}

void MainWindow::updateAttackStep()
{
    const nlohmann::json attack = m_draft->section("attack");
    const bool designed =
        attack.is_object() && attack.contains("plugin") && attack["plugin"].is_string() && m_designer->isValid();
    m_flow->setDone(FlowBar::Attack, designed,
                    designed ? QString::fromStdString(attack["plugin"].get<std::string>()) : QString());
}

void MainWindow::showDataset(DatasetPtr dataset, double seconds)
{
    m_dataset = std::move(dataset);
    m_thumbnails->setDataset(m_dataset);
    m_browser->setDataset(m_dataset);
    m_histogram->setDataset(m_dataset);
    m_skipped->setDataset(m_dataset);
    m_closeAction->setEnabled(m_dataset != nullptr);
    m_exportHistogramAction->setEnabled(m_dataset != nullptr);
    m_flow->setDone(FlowBar::Data, m_dataset != nullptr);
    updateTitle();
    if (!m_dataset) {
        m_summary->setText(tr("No dataset open — File › Open Dataset… (Ctrl+O)"));
        m_skippedDock->setWindowTitle(tr("Skipped items"));
        Q_EMIT datasetShown();
        return;
    }
    // The open time is part of the summary, not a temporary message: those hide the summary label.
    m_summary->setText(DatasetSummary::describe(*m_dataset) + tr(" — opened in %1 s").arg(seconds, 0, 'f', 1));
    const size_t skipped = m_dataset->skipped.size();
    m_skippedDock->setWindowTitle(skipped > 0 ? tr("Skipped items (%1)").arg(skipped) : tr("Skipped items"));
    if (skipped > 0) {
        m_skippedDock->show();
        m_skippedDock->raise();
    }
    // Start on the first pair, so the details panel shows something useful at once.
    if (m_browser->proxy()->rowCount() > 0)
        m_browser->selectCaption(m_browser->proxy()->mapToSource(m_browser->proxy()->index(0, 0)).row());
    Q_EMIT datasetShown();
}

void MainWindow::showOpenError(const QString &message, const QString &file)
{
    statusBar()->showMessage(tr("Could not open the dataset."), 8000);
    if (m_errorBox)
        m_errorBox->close();
    m_errorBox =
        new QMessageBox(QMessageBox::Critical, tr("Could not open the dataset"), message, QMessageBox::Ok, this);
    m_errorBox->setObjectName(QStringLiteral("openErrorBox"));
    if (!file.isEmpty())
        m_errorBox->setInformativeText(tr("File: %1").arg(file));
    m_errorBox->setAttribute(Qt::WA_DeleteOnClose);
    m_errorBox->open(); // window-modal, but does not block the event loop
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About PoisonLab"), aboutText());
}

ExperimentController *MainWindow::trainingController() const
{
    return m_train->controller();
}

bool MainWindow::confirmClose()
{
    if (!m_train->isTraining())
        return true;
    if (m_askClose)
        return m_askClose();
    QMessageBox box(QMessageBox::Question, tr("A run is training"), tr("Stop the run and quit?"), QMessageBox::Cancel,
                    this);
    box.setInformativeText(tr("The run stops after its current step and keeps its checkpoint: "
                              "Resume on the Train step continues it later."));
    box.addButton(tr("Stop and Quit"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    return box.exec() != QMessageBox::Cancel;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmClose()) {
        event->ignore();
        return;
    }
    m_controller->cancel(); // the controller's destructor then waits for the worker
    m_train->cancel();      // a running experiment checkpoints and stays resumable
    if (m_persistLayout)
        saveLayout();
    event->accept();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    m_thumbnails->setDevicePixelRatio(devicePixelRatioF());
    if (!m_followsScreen && windowHandle()) {
        m_followsScreen = true; // moved to a screen of another pixel ratio: decode again, sharp there
        connect(windowHandle(), &QWindow::screenChanged, this,
                [this] { m_thumbnails->setDevicePixelRatio(devicePixelRatioF()); });
    }
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    settings.setValue(QStringLiteral("mainWindow/step"), FlowBar::id(m_flow->current()));
    settings.setValue(QStringLiteral("mainWindow/view"), m_browser->viewMode() == PairBrowser::ViewMode::Grid
                                                             ? QStringLiteral("grid")
                                                             : QStringLiteral("table"));
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    if (settings.value(QStringLiteral("mainWindow/view")).toString() == QLatin1String("table"))
        m_browser->setViewMode(PairBrowser::ViewMode::Table);
    if (const int step = FlowBar::fromId(settings.value(QStringLiteral("mainWindow/step")).toString()); step > 0)
        showStep(step); // the Data step is where a window starts anyway
}

} // namespace poisonlab::ui
