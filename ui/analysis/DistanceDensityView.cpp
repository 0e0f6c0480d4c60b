#include "analysis/DistanceDensityView.h"

#include "analysis/DensityChart.h"
#include "charts/LineChartWidget.h"
#include "experiment/ExperimentController.h"
#include "jobs/JobRunner.h"
#include "style/StatusColors.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <QSignalBlocker>

#include <algorithm>
#include <cmath>

Q_DECLARE_METATYPE(std::shared_ptr<const poisonlab::experiment::TrainingPairDistances>)

namespace poisonlab::ui {

namespace {

using DistancesPtr = std::shared_ptr<const experiment::TrainingPairDistances>;
using nlohmann::json;

QString ratio(double v)
{
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 3);
}

QList<QPointF> curve(const json &density, const char *group)
{
    QList<QPointF> out;
    const json &grid = density.value("grid", json::array());
    const json &values = density["groups"][group]["density"];
    for (std::size_t i = 0; i < grid.size() && i < values.size(); ++i)
        out.append(QPointF(grid[i].get<double>(), values[i].get<double>()));
    return out;
}

std::filesystem::path toPath(const QString &s)
{
    return std::filesystem::path(s.toStdString());
}

} // namespace

DistanceDensityView::DistanceDensityView(QWidget *parent)
    : QWidget(parent), m_runner(new JobRunner(QStringLiteral("distance-density"), this)),
      m_controller(new ExperimentController(this))
{
    qRegisterMetaType<DistancesPtr>();
    m_density = new DensityChart(tr("cosine distance 1 − cos(image, caption)"), tr("density"), this);
    m_density->setTitle(tr("Training pairs: image-caption distance"));
    m_density->setThresholdEnabled(true);
    m_roc = new LineChartWidget(tr("false-positive rate (clean pairs dropped)"),
                                tr("true-positive rate (poison dropped)"), this);
    m_roc->setTitle(tr("Poison detection: ROC"));
    m_roc->setXRange(std::pair{0.0, 1.0});
    m_roc->setYRange(std::pair{0.0, 1.0});

    auto *charts = new QHBoxLayout;
    charts->addWidget(m_density, 3);
    charts->addWidget(m_roc, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(makeControls());
    layout->addLayout(charts, 1);
    layout->addWidget(makeThresholdRow());

    connect(m_density, &DensityChart::thresholdDragged, this, [this](double x) { setThreshold(x); });
    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &e) {
        m_progress->setRange(0, e.total > 0 ? int(e.total) : 0);
        m_progress->setValue(int(e.done));
        setStatus(QString::fromStdString(e.message.empty() ? e.stage : e.message));
    });
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showDistances(result.value<DistancesPtr>()); });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        setStatus(file.isEmpty() || message.contains(file) ? message : file + QStringLiteral(": ") + message, true);
        m_density->setPlaceholder(tr("No distances: %1").arg(message));
    });
    connect(m_runner, &JobRunner::cancelled, this, [this](quint64, const QVariant &) {
        if (m_runs.poisoned.isEmpty())
            return; // closed, not cancelled by the user
        setStatus(tr("Cancelled; nothing was written."));
        m_density->setPlaceholder(tr("Cancelled. Pick a model to compute the distances again."));
    });
    connect(m_runner, &JobRunner::busyChanged, this, &DistanceDensityView::updateBusy);

    connect(m_controller, &ExperimentController::phaseChanged, this,
            [this](const QString &text, qint64 done, qint64 total) {
                m_progress->setRange(0, total > 0 ? int(total) : 0);
                m_progress->setValue(int(done));
                setStatus(tr("Filtered run: %1").arg(text));
            });
    connect(m_controller, &ExperimentController::stepReported, this, [this](TrainingStep s) {
        m_progress->setRange(0, int(s.totalSteps));
        m_progress->setValue(int(s.step));
        setStatus(tr("Filtered run: training, step %1 of %2").arg(s.step).arg(s.totalSteps));
    });
    connect(m_controller, &ExperimentController::finished, this, [this](const QString &dir) {
        setStatus(tr("Filtered run finished: %1").arg(QDir::toNativeSeparators(dir)));
        Q_EMIT runFinished(dir);
    });
    connect(m_controller, &ExperimentController::failed, this,
            [this](const QString &message, const QString &file, const QString &) {
                setStatus(tr("Filtered run failed: %1")
                              .arg(file.isEmpty() || message.contains(file) ? message : file + ": " + message),
                          true);
            });
    connect(m_controller, &ExperimentController::cancelled, this, [this](const QString &dir, bool) {
        setStatus(tr("Filtered run cancelled (%1).").arg(QDir::toNativeSeparators(dir)));
    });
    connect(m_controller, &ExperimentController::busyChanged, this, &DistanceDensityView::updateBusy);
    setRuns({});
}

DistanceDensityView::~DistanceDensityView() = default;

QWidget *DistanceDensityView::makeControls()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_model = new QComboBox(box);
    m_model->addItem(tr("Starting model (the filter's default)"), int(ScoringModel::Starting));
    m_model->addItem(tr("Clean run's model"), int(ScoringModel::CleanRun));
    m_model->addItem(tr("Poisoned run's model"), int(ScoringModel::PoisonedRun));
    m_model->setToolTip(tr("The model that embeds the training pairs. The pre-training filter scores with a clean "
                           "model; the poisoned model shows what training did to the poisoned pairs."));
    m_status = new QLabel(box);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(box);
    m_progress->setMaximumWidth(180);
    m_cancel = new QPushButton(tr("Cancel"), box);
    row->addWidget(new QLabel(tr("Scoring model:"), box));
    row->addWidget(m_model);
    row->addWidget(m_status, 1);
    row->addWidget(m_progress);
    row->addWidget(m_cancel);
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] { compute(); });
    connect(m_cancel, &QPushButton::clicked, this, &DistanceDensityView::cancel);
    return box;
}

QWidget *DistanceDensityView::makeThresholdRow()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_threshold = new QDoubleSpinBox(box);
    m_threshold->setRange(0, 2);
    m_threshold->setDecimals(3);
    m_threshold->setSingleStep(0.01);
    m_threshold->setValue(m_thresholdValue);
    m_threshold->setToolTip(tr("Pairs at or above this cosine distance are dropped (drag the line on the chart)"));
    m_bestF1 = new QPushButton(tr("Best F1"), box);
    m_bestF1->setToolTip(tr("The threshold with the highest F1 against the true poison labels: an oracle a real "
                            "defender cannot compute, the best a single threshold can do"));
    m_figures = new QLabel(box);
    m_figures->setObjectName(QStringLiteral("figures"));
    m_figures->setWordWrap(true);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apply = new QPushButton(tr("Apply as a new run…"), box);
    m_apply->setToolTip(tr("Run this experiment again with the pre-training filter at this threshold "
                           "(defense-distance-filter), into a folder you pick"));
    row->addWidget(new QLabel(tr("Threshold:"), box));
    row->addWidget(m_threshold);
    row->addWidget(m_bestF1);
    row->addWidget(m_figures, 1);
    row->addWidget(m_apply);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        m_thresholdValue = v;
        m_density->setThreshold(v);
        updateFigures();
    });
    connect(m_bestF1, &QPushButton::clicked, this, [this] {
        if (!m_distances || !counts().positives)
            return;
        setThreshold(defense::bestF1Threshold(m_distances->distances, m_distances->poisoned).threshold);
    });
    connect(m_apply, &QPushButton::clicked, this, &DistanceDensityView::applyInteractively);
    m_density->setThreshold(m_thresholdValue);
    return box;
}

void DistanceDensityView::setRuns(const AnalysisRuns &runs)
{
    m_runs = runs;
    compute();
}

void DistanceDensityView::setScoringModel(ScoringModel model)
{
    m_model->setCurrentIndex(m_model->findData(int(model))); // compute() on change
}

DistanceDensityView::ScoringModel DistanceDensityView::scoringModel() const
{
    return ScoringModel(m_model->currentData().toInt());
}

QString DistanceDensityView::scoringModelOption() const
{
    switch (scoringModel()) {
    case ScoringModel::Starting:
        return QStringLiteral("initial");
    case ScoringModel::CleanRun:
        return QDir(m_runs.clean).absoluteFilePath(QStringLiteral("model/final.safetensors"));
    case ScoringModel::PoisonedRun:
        return QDir(m_runs.poisoned).absoluteFilePath(QStringLiteral("model/final.safetensors"));
    }
    return {};
}

void DistanceDensityView::compute()
{
    m_distances.reset();
    m_runner->cancel();
    m_density->setCurves({});
    m_roc->setSeries({});
    m_rocPoint = nullptr;
    updateFigures();
    if (m_runs.poisoned.isEmpty()) {
        m_density->setPlaceholder(tr("Open a run to see its training pairs' distances."));
        setStatus(QString());
        return;
    }
    if (scoringModel() == ScoringModel::CleanRun && m_runs.clean.isEmpty()) {
        m_density->setPlaceholder(tr("There is no clean run to score with: open or pick the clean counterpart, or "
                                     "choose another scoring model."));
        setStatus(tr("No clean run."), true);
        return;
    }
    m_density->setPlaceholder(tr("Computing the training pairs' distances…"));
    experiment::PairDistanceOptions options;
    options.runDir = toPath(m_runs.poisoned);
    options.model = scoringModelOption().toStdString();
    options.label = scoringModel() == ScoringModel::Starting   ? "initial"
                    : scoringModel() == ScoringModel::CleanRun ? "clean"
                                                               : "final";
    JobOptions jobOptions;
    jobOptions.contextFile = m_runs.poisoned;
    m_runner->start(
        [options](ProgressReporter &progress) {
            auto d = std::make_shared<const experiment::TrainingPairDistances>(
                experiment::loadOrComputeTrainingPairDistances(options, progress));
            return QVariant::fromValue<DistancesPtr>(d);
        },
        jobOptions);
}

void DistanceDensityView::showDistances(std::shared_ptr<const experiment::TrainingPairDistances> distances)
{
    m_distances = std::move(distances);
    if (!m_distances)
        return;
    const json &d = m_distances->density;
    auto count = [&](const char *g) { return d["groups"][g].value("count", 0LL); };
    QList<DensityCurve> curves;
    curves.append(
        {tr("clean pairs (%1)").arg(count("clean")), curve(d, "clean"), palette().color(QPalette::Highlight)});
    if (count("poisoned") > 0)
        curves.append(
            {tr("poisoned pairs (%1)").arg(count("poisoned")), curve(d, "poisoned"), StatusColors::poison(palette())});
    m_density->setPlaceholder(QString());
    m_density->setTitle(tr("Training pairs' image-caption distance under the %1")
                            .arg(m_model->currentText().section(QLatin1Char('('), 0, 0).trimmed().toLower()));
    m_density->setCurves(curves);

    const auto roc = defense::rocCurve(m_distances->distances, m_distances->poisoned);
    ChartSeries rocSeries{tr("ROC (AUC %1)").arg(ratio(defense::rocAuc(roc))), {}};
    for (const auto &p : roc)
        rocSeries.points.append(QPointF(p.fpr, p.tpr));
    m_roc->setSeries(roc.empty() ? QList<ChartSeries>{}
                                 : QList<ChartSeries>{rocSeries, {tr("chance"), {QPointF(0, 0), QPointF(1, 1)}}});
    m_roc->setPlaceholder(roc.empty() ? tr("No ROC: the run has no poisoned training pairs") : QString());
    m_rocPoint = nullptr;
    if (!roc.empty()) {
        if (auto *chance = m_roc->series(1))
            chance->setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
        m_rocPoint = new QScatterSeries;
        m_rocPoint->setName(tr("threshold"));
        m_rocPoint->setMarkerSize(11);
        m_roc->chart()->addSeries(m_rocPoint);
        for (QAbstractAxis *a : m_roc->chart()->axes())
            m_rocPoint->attachAxis(a);
    }
    setStatus(tr("%1 training pairs scored with %2.")
                  .arg(m_distances->distances.size())
                  .arg(m_model->currentText().section(QLatin1Char('('), 0, 0).trimmed().toLower()));
    updateFigures();
    Q_EMIT distancesShown();
}

void DistanceDensityView::setThreshold(double distance)
{
    // Exactly this value (a dragged line or a filter's threshold); the box shows it rounded.
    m_thresholdValue = std::clamp(distance, 0.0, 2.0);
    {
        const QSignalBlocker block(m_threshold);
        m_threshold->setValue(m_thresholdValue);
    }
    m_density->setThreshold(m_thresholdValue);
    updateFigures();
}

double DistanceDensityView::threshold() const
{
    return m_thresholdValue;
}

defense::DetectionCounts DistanceDensityView::counts() const
{
    if (!m_distances)
        return {};
    return defense::countAt(m_distances->distances, m_distances->poisoned, threshold());
}

void DistanceDensityView::updateFigures()
{
    m_apply->setEnabled(!m_runs.poisoned.isEmpty() && !isBusy());
    m_bestF1->setEnabled(m_distances && counts().positives > 0);
    if (!m_distances) {
        m_figures->setText(tr("No distances yet."));
        return;
    }
    const defense::DetectionCounts c = counts();
    m_figures->setText(tr("Drops <b>%1</b> of %2 pairs (%3 poisoned, %4 clean); %5 of %6 poisoned pairs survive · "
                          "precision <b>%7</b> · recall <b>%8</b> · F1 <b>%9</b>")
                           .arg(c.flagged)
                           .arg(c.pairs)
                           .arg(c.truePositives)
                           .arg(c.falsePositives)
                           .arg(c.positives - c.truePositives)
                           .arg(c.positives)
                           .arg(ratio(c.precision()), ratio(c.recall()), ratio(c.f1())));
    if (m_rocPoint && c.positives > 0 && c.negatives() > 0)
        m_rocPoint->replace(
            {QPointF(double(c.falsePositives) / double(c.negatives()), double(c.truePositives) / double(c.positives))});
}

QString DistanceDensityView::figuresText() const
{
    return m_figures->text();
}

QString DistanceDensityView::statusText() const
{
    return m_status->text();
}

void DistanceDensityView::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? StatusColors::errorStyle(palette()) : QString());
}

void DistanceDensityView::updateBusy()
{
    const bool busy = isBusy();
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    m_model->setEnabled(!m_controller->isBusy());
    updateFigures();
}

bool DistanceDensityView::isBusy() const
{
    return m_runner->isBusy() || m_controller->isBusy();
}

void DistanceDensityView::cancel()
{
    m_runner->cancel();
    m_controller->cancel();
}

bool DistanceDensityView::applyFilter(const QString &outDir)
{
    if (m_runs.poisoned.isEmpty() || outDir.isEmpty() || m_controller->isBusy())
        return false;
    const QString configPath = QDir(m_runs.poisoned).absoluteFilePath(QStringLiteral("config.json"));
    json doc;
    try {
        doc = readJsonFile(toPath(configPath));
    } catch (const Error &e) {
        setStatus(QString::fromUtf8(e.what()), true);
        return false;
    }
    // The run's experiment with the filter as its pre-training defense (any earlier one replaced).
    json defenses = json::array();
    for (const json &d : doc.value("defenses", json::array()))
        if (d.value("plugin", "") != "defense-distance-filter")
            defenses.push_back(d);
    const double t = threshold();
    defenses.push_back(
        {{"plugin", "defense-distance-filter"},
         {"options", {{"model", scoringModelOption().toStdString()}, {"threshold", {{"distance", t}}}}}});
    doc["defenses"] = defenses;
    doc["name"] = doc.value("name", std::string("run")) + "-filter-" + QString::number(t, 'g', 3).toStdString();
    m_controller->start(doc, configPath, {}, outDir);
    setStatus(tr("Filtered run started in %1").arg(QDir::toNativeSeparators(outDir)));
    return true;
}

void DistanceDensityView::applyInteractively()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the filtered run (empty or new)"),
                                                          QDir(m_runs.poisoned).absoluteFilePath(QStringLiteral("..")));
    if (!dir.isEmpty())
        applyFilter(dir);
}

} // namespace poisonlab::ui
