#pragma once

#include "analysis/AnalysisRuns.h"

#include <QTabWidget>

#include <functional>
#include <vector>

namespace poisonlab::ui {

class ClassPairGridView;
class DefensePanel;
class DistanceDensityView;
class EmbeddingMapPanel;
class EmbeddingShiftView;
class RetrievalExplorer;
class RunComparisonView;
class RunViewer;

/// The Results step: the open run (RunViewer), several runs compared (RunComparisonView), and
/// the analysis views, as tabs. The analysis views look at the run shown and its clean
/// counterpart (core's findCleanCounterpart: `<run>-clean` or a clean sibling over the same
/// data), updated each time a run is shown.
class ResultsPage : public QTabWidget {
    Q_OBJECT
public:
    explicit ResultsPage(QWidget *parent = nullptr);

    RunViewer *runViewer() const { return m_viewer; }
    RunComparisonView *comparison() const { return m_comparison; }
    /// The runs the analysis views show now.
    AnalysisRuns analysisRuns() const { return m_runs; }
    /// Sets the clean run the views compare with (when none was found, or another is wanted).
    void setCleanRun(const QString &dir);
    RetrievalExplorer *retrieval() const { return m_retrieval; }
    EmbeddingMapPanel *embeddingMap() const { return m_map; }
    DistanceDensityView *distanceDensity() const { return m_density; }
    EmbeddingShiftView *embeddingShift() const { return m_shift; }
    DefensePanel *defense() const { return m_defense; }
    ClassPairGridView *classPairs() const { return m_classPairs; }
    /// Brings the tab whose object name is `id` ("retrieval", "embeddingMap"...) to the front.
    bool showTab(const QString &id);
    /// The tabs showTab() knows, for --panel.
    static QStringList tabIds();
    /// Shows these images (dataset paths) as selected on the embedding map, without sending the
    /// selection back: the pair browser's and the explorer's selection, shared with the map.
    void selectImagesInViews(const QStringList &imagePaths);

    void showRun(const QString &dir);      ///< reads it on a thread; the Run tab comes to the front
    void compare(const QStringList &dirs); ///< replaces the compared runs; that tab to the front
    /// Adds an analysis view as a tab. It gets setRuns() when it is the current tab and the runs
    /// changed since it last got them: a view computes only when someone looks at it (opening a
    /// run must not start every analysis).
    template <typename View>
    void addAnalysisView(View *view, const QString &title)
    {
        addTab(view, title);
        m_views.push_back({view, [view](const AnalysisRuns &runs) { view->setRuns(runs); }, {}, false});
        syncCurrentView();
    }

Q_SIGNALS:
    void analysisRunsChanged(const poisonlab::ui::AnalysisRuns &runs);
    /// A view made or changed a run (the distance filter's Apply, a defense); the window shows it.
    void runMade(const QString &dir);
    /// A view selected images (paths relative to the dataset root): the pair browser shows them.
    void imagesSelected(const QStringList &imagePaths, const QString &from);
    /// The class-pair grid asks to design the attack A -> B.
    void designAttackRequested(const QString &source, const QString &target);

private:
    void runShown(const QString &dir);
    void chooseCleanRun();
    void syncCurrentView();

    struct AnalysisTab {
        QWidget *view;
        std::function<void(const AnalysisRuns &)> setRuns;
        AnalysisRuns given; ///< what it last got
        bool hasGiven;
    };
    std::vector<AnalysisTab> m_views;

    RunViewer *m_viewer;
    RunComparisonView *m_comparison;
    void createAnalysisViews();
    void mapSelected(const QList<int> &captionRows, const QList<int> &imageRows);

    RetrievalExplorer *m_retrieval = nullptr;
    EmbeddingMapPanel *m_map = nullptr;
    DistanceDensityView *m_density = nullptr;
    EmbeddingShiftView *m_shift = nullptr;
    DefensePanel *m_defense = nullptr;
    ClassPairGridView *m_classPairs = nullptr;
    AnalysisRuns m_runs;
};

} // namespace poisonlab::ui
