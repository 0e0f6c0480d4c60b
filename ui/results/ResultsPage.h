#pragma once

#include "analysis/AnalysisRuns.h"

#include <QTabWidget>

#include <functional>
#include <vector>

namespace poisonlab::ui {

class DistanceDensityView;
class EmbeddingShiftView;
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
    DistanceDensityView *distanceDensity() const { return m_density; }
    EmbeddingShiftView *embeddingShift() const { return m_shift; }

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
    /// A view made a run (the distance filter's Apply); the window shows it.
    void runMade(const QString &dir);

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
    DistanceDensityView *m_density;
    EmbeddingShiftView *m_shift;
    AnalysisRuns m_runs;
};

} // namespace poisonlab::ui
