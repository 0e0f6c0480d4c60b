#pragma once

#include "analysis/AnalysisRuns.h"
#include "poisonlab/core/defense/DetectionMetrics.h"
#include "poisonlab/core/experiment/TrainingPairDistances.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QScatterSeries;

namespace poisonlab::ui {

class DensityChart;
class ExperimentController;
class JobRunner;
class LineChartWidget;

/// The paper's Figure 6 over a run: the image-caption cosine distances of the clean and the
/// poisoned training pairs under a chosen model (the starting model, the clean run's or the
/// poisoned run's), as two filled densities, with the pre-training filter's threshold as a
/// vertical line (dragged on the chart or typed). At every threshold it shows the pairs dropped
/// and the precision, recall and F1 of poison detection (core's DetectionMetrics on the per-pair
/// distances), and the ROC curve with the current point. The distances are computed by core on a
/// JobRunner (progress, Cancel) and cached in results/analysis/distance_density*.json. Apply runs
/// the experiment again with the filter at that threshold (ExperimentController, as
/// `poisonlab-cli run` would) into a folder the user picks.
class DistanceDensityView : public QWidget {
    Q_OBJECT
public:
    enum class ScoringModel { Starting, CleanRun, PoisonedRun };

    explicit DistanceDensityView(QWidget *parent = nullptr);
    ~DistanceDensityView() override;

    /// Shows `runs` (the poisoned run's training pairs); starts computing when not cached.
    void setRuns(const AnalysisRuns &runs);
    AnalysisRuns runs() const { return m_runs; }
    void setScoringModel(ScoringModel model);
    ScoringModel scoringModel() const;

    void setThreshold(double distance);
    double threshold() const;
    /// The detection figures at the current threshold (nothing when no distances are loaded).
    defense::DetectionCounts counts() const;
    bool hasDistances() const { return static_cast<bool>(m_distances); }
    std::shared_ptr<const experiment::TrainingPairDistances> distances() const { return m_distances; }
    /// The figures line ("dropped 12 of 32 pairs…") and the status line, as shown.
    QString figuresText() const;
    QString statusText() const;

    /// Starts the experiment again with the filter at the current threshold into `outDir`; false
    /// (with the reason in the status line) when it cannot start.
    bool applyFilter(const QString &outDir);
    void cancel();
    bool isBusy() const;

    DensityChart *densityChart() const { return m_density; }
    LineChartWidget *rocChart() const { return m_roc; }
    JobRunner *runner() const { return m_runner; }
    ExperimentController *controller() const { return m_controller; }

Q_SIGNALS:
    /// The distances of the current runs and model are shown.
    void distancesShown();
    /// A filtered run made by Apply finished; the lead opens it in Results.
    void runFinished(const QString &dir);

private:
    QWidget *makeControls();
    QWidget *makeThresholdRow();
    void compute();
    void showDistances(std::shared_ptr<const experiment::TrainingPairDistances> distances);
    void updateFigures();
    void setStatus(const QString &text, bool error = false);
    void updateBusy();
    void applyInteractively();
    QString scoringModelOption() const;

    AnalysisRuns m_runs;
    std::shared_ptr<const experiment::TrainingPairDistances> m_distances;
    JobRunner *m_runner;
    ExperimentController *m_controller;
    QComboBox *m_model;
    QDoubleSpinBox *m_threshold;
    QLabel *m_figures;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QPushButton *m_apply;
    QPushButton *m_bestF1;
    DensityChart *m_density;
    LineChartWidget *m_roc;
    QScatterSeries *m_rocPoint = nullptr; ///< owned by the ROC chart; recreated with its series
    double m_thresholdValue = 0.8;        ///< exact (the box shows it rounded); the paper's 0.8
};

} // namespace poisonlab::ui
