#pragma once

#include "dataset/DatasetController.h"
#include "dataset/DatasetPtr.h"
#include "poisonlab/core/data/DatasetSource.h"
#include "window/RecentMenus.h"
#include "window/WorkbenchCommandLine.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <functional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QTableView;

namespace poisonlab::ui {

class ClassHistogramView;
class ExperimentController;
class ExperimentDataBar;
class ExperimentDraft;
class ExperimentFileActions;
class AttackDesignerPanel;
class TrainPanel;
class FlowBar;
class ReportExporter;
class ResultsPage;
class RunComparisonView;
class RunViewer;
class OpenProgressWidget;
class PairBrowser;
class PairDetailPane;
class RecentItems;
class SkippedItemsModel;
class SweepPage;
class ThumbnailCache;

/// The workbench's top-level window: the four steps of an experiment (Data → Attack → Train →
/// Results) on a FlowBar across the top, each step's page in the middle (the pair browser, the
/// attack designer, the Train panel, the results), the data panels (details, class histogram,
/// skipped items) as docks whose toggles live in the View menu, and the opening progress in the
/// status bar. One ExperimentDraft is the experiment every step edits.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `loader` replaces core's openDataset (tests use it to stand in for a slow import).
    explicit MainWindow(QWidget *parent = nullptr, DatasetController::Loader loader = {});
    ~MainWindow() override;

    /// Applies the command line: opens its dataset, arranges a screenshot, restores the layout.
    void applyOptions(const WorkbenchOptions &options);

    /// Opens a dataset in the background (progress in the status bar, errors in a message box).
    void openDataset(const data::DatasetSource &source);
    const DatasetPtr &dataset() const { return m_dataset; }

    /// Shows a run directory in the run viewer (File › Open Run…), read on a thread, and marks
    /// its poisoned pairs when the open dataset is the run's (else the viewer offers to open that
    /// dataset). The viewer's runOpened() or runFailed() says when it is done.
    void openRun(const QString &dir);

    /// Shows a sweep folder on Results › Sweep (File › Open Sweep…), read on a thread: its cells,
    /// their figures charted against a swept key, a class-pair sweep as the class-pair grid.
    void openSweep(const QString &dir);
    SweepPage *sweepPage() const { return m_sweepPage; }

    /// Shows a step ("data", "attack", "train", "results") or brings the dock whose id is `id`
    /// ("details"...) in front of the panels tabbed with it; false when there is none.
    bool showPanel(const QString &id);
    /// Asked before closing while a run trains; true closes (the run is cancelled after its
    /// current step and stays resumable). Tests replace the question.
    void setCloseQuestion(std::function<bool()> ask) { m_askClose = std::move(ask); }

    /// Adds a panel as a dock (object name = `id`, for saved layouts) with a toggle in View.
    QDockWidget *addPanel(const QString &id, const QString &title, QWidget *panel, Qt::DockWidgetArea area);

    DatasetController *controller() const { return m_controller; }
    ThumbnailCache *thumbnails() const { return m_thumbnails; }
    RecentItems *recentDatasets() const { return m_recent->datasets(); }
    RecentItems *recentRuns() const { return m_recent->runs(); }
    QMenu *recentDatasetsMenu() const { return m_recent->datasetsMenu(); }
    QMenu *recentRunsMenu() const { return m_recent->runsMenu(); }
    PairBrowser *browser() const { return m_browser; }
    PairDetailPane *detailPane() const { return m_detail; }
    ClassHistogramView *histogram() const { return m_histogram; }
    AttackDesignerPanel *attackDesigner() const { return m_designer; }
    TrainPanel *trainPanel() const { return m_train; }
    ExperimentDraft *draft() const { return m_draft; }
    /// The controller of the Train step (what a close asks about).
    ExperimentController *trainingController() const;
    ExperimentFileActions *experimentFiles() const { return m_experimentFiles; }
    ExperimentDataBar *dataBar() const { return m_dataBar; }
    FlowBar *flowBar() const { return m_flow; }
    QStackedWidget *pages() const { return m_pages; }
    RunViewer *runViewer() const { return m_runViewer; }
    RunComparisonView *runComparison() const { return m_comparison; }
    ResultsPage *resultsPage() const { return m_results; }
    /// Shows several runs side by side on Results (the comparison tab).
    void compareRuns(const QStringList &dirs);
    /// Narrows the pair browser to the pairs of these images (paths relative to the dataset
    /// root, as runs record them) and shows the Data step: where an analysis view's selection
    /// goes. `from` names the view in the filter bar. Returns how many images were found.
    int showImagesInBrowser(const QStringList &imagePaths, const QString &from);
    /// Opens Attack II source -> target in the attack designer (a cell of the class-pair grid).
    void designAttack(const QString &source, const QString &target);
    QTableView *skippedView() const { return m_skippedView; }
    OpenProgressWidget *progressWidget() const { return m_progress; }
    /// The last error shown (the message box stays open, non-blocking).
    QMessageBox *errorBox() const { return m_errorBox.data(); }

Q_SIGNALS:
    /// A dataset was shown (after opening), or opening ended without one.
    void datasetShown();
    void openingEnded(bool success);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createPanels();
    void createSteps();
    void showStep(int step);
    bool confirmClose();
    void updateTitle();
    void showDataset(DatasetPtr dataset, double seconds);
    void showOpenError(const QString &message, const QString &file);
    void chooseDataset();
    void closeDataset();
    void showAbout();
    void chooseRun();
    void chooseSweep();
    void markRunPoison();
    void runShown(const QString &dir);
    void markPreviewPoison();
    void updateAttackStep();
    void saveLayout();
    void restoreLayout();

    DatasetController *m_controller;
    ThumbnailCache *m_thumbnails;
    DatasetPtr m_dataset;
    DatasetPtr m_cleanDataset; ///< as opened, before a run's poisoned pairs were marked
    double m_openSeconds = 0;
    data::DatasetSource m_lastSource;
    PairBrowser *m_browser;
    PairDetailPane *m_detail = nullptr;
    ClassHistogramView *m_histogram = nullptr;
    SkippedItemsModel *m_skipped = nullptr;
    QTableView *m_skippedView = nullptr;
    QDockWidget *m_skippedDock = nullptr;
    AttackDesignerPanel *m_designer = nullptr;
    TrainPanel *m_train = nullptr;
    RunViewer *m_runViewer = nullptr;
    RunComparisonView *m_comparison = nullptr;
    ResultsPage *m_results = nullptr;
    SweepPage *m_sweepPage = nullptr;
    ReportExporter *m_reportExporter = nullptr;
    FlowBar *m_flow = nullptr;
    QStackedWidget *m_pages = nullptr;
    ExperimentDraft *m_draft = nullptr;
    ExperimentFileActions *m_experimentFiles = nullptr;
    ExperimentDataBar *m_dataBar = nullptr;
    QList<QDockWidget *> m_dataDocks;       ///< shown on the Data step only
    QList<QDockWidget *> m_hiddenDataDocks; ///< data docks that were open when the Data step was left
    std::function<bool()> m_askClose;
    OpenProgressWidget *m_progress;
    QLabel *m_summary;
    QPointer<QMessageBox> m_errorBox;
    RecentMenus *m_recent = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_panelsMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_openRunAction = nullptr;
    QAction *m_openSweepAction = nullptr;
    QAction *m_exportHistogramAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QByteArray m_defaultState;
    bool m_persistLayout = false;
    bool m_followsScreen = false; ///< thumbnails follow the window's screen (pixel ratio)
};

} // namespace poisonlab::ui
