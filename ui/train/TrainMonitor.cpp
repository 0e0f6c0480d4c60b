#include "train/TrainMonitor.h"

#include "charts/LiveLossChart.h"
#include "experiment/ExperimentController.h"
#include "log/LogPane.h"
#include "train/LiveSeriesChart.h"

#include <QLabel>
#include <QProgressBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>
#include <vector>

namespace poisonlab::ui {

namespace {

QString formatDuration(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("?");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

const QString kEpochsOff = QObject::tr("Per-epoch evaluation is off. Tick \"Evaluate after every epoch\" to see "
                                       "this chart fill in after each epoch.");

} // namespace

TrainMonitor::TrainMonitor(ExperimentController *controller, QWidget *parent) : QWidget(parent)
{
    m_run = new QLabel(this);
    m_run->setObjectName(QStringLiteral("runLabel"));
    QFont bold = m_run->font();
    bold.setBold(true);
    m_run->setFont(bold);
    m_phase = new QLabel(tr("Idle: set up the run on the left, then Start."), this);
    m_phase->setWordWrap(true);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("trainProgress"));
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setFormat(QString());
    m_stats = new QLabel(this);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("trainMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_loss = new LiveLossChart(this);
    m_lr = new LiveSeriesChart(tr("step"), tr("learning rate"),
                               tr("The learning rate appears here while a run trains."), this);
    m_speed = new LiveSeriesChart(tr("step"), tr("samples per second"),
                                  tr("The training speed appears here while a run trains."), this);
    m_attack = new LiveSeriesChart(tr("epoch"), tr("Hit@K (share of the goal's captions)"), kEpochsOff, this);
    m_attack->setMarkersVisible(true);
    m_attack->setIntegerX(true);
    m_attack->setYRange(std::pair(0.0, 1.0));
    m_utility = new LiveSeriesChart(tr("epoch"), tr("retrieval R@K"), kEpochsOff, this);
    m_utility->setMarkersVisible(true);
    m_utility->setIntegerX(true);
    for (LiveSeriesChart *chart : {m_attack, m_utility})
        chart->chart()->legend()->setAlignment(Qt::AlignRight); // room for names like "poisoned: A->B Hit@10"
    m_utility->setYRange(std::pair(0.0, 1.0));
    m_log = new LogPane(this);
    m_log->setMinimumLevel(1); // debug: the run's own lines (created, training: N steps, epoch done...)
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("trainTabs"));
    m_tabs->addTab(m_loss, tr("Loss"));
    m_tabs->addTab(m_lr, tr("Learning rate"));
    m_tabs->addTab(m_speed, tr("Samples/s"));
    m_tabs->addTab(m_attack, tr("Attack Hit@K"));
    m_tabs->addTab(m_utility, tr("Utility R@K"));
    m_tabs->addTab(m_log, tr("Log"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_run);
    layout->addWidget(m_phase);
    layout->addWidget(m_bar);
    layout->addWidget(m_stats);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);

    connect(controller, &ExperimentController::started, this, [this](const QString &dir, bool resuming) {
        m_loss->clear();
        m_lr->clear();
        m_speed->clear();
        m_stats->clear();
        m_lastStep = 0;
        m_bar->setRange(0, 0);
        m_bar->setFormat(QString());
        m_phase->setText(resuming ? tr("Resuming %1…").arg(dir) : tr("Starting %1…").arg(dir));
    });
    connect(controller, &ExperimentController::stepReported, this, &TrainMonitor::showStep);
    connect(controller, &ExperimentController::epochFinished, this, [this](int epoch, double meanLoss) {
        m_loss->addEpoch(m_lastStep, meanLoss);
        m_phase->setText(tr("Epoch %1 done (mean loss %2)").arg(epoch).arg(meanLoss, 0, 'f', 4));
    });
    connect(controller, &ExperimentController::phaseChanged, this, &TrainMonitor::showPhase);
    connect(controller, &ExperimentController::epochEvaluated, this, &TrainMonitor::showEpochEvaluation);
}

void TrainMonitor::beginRun(const QString &label, const QString &seriesPrefix)
{
    m_run->setText(label);
    m_prefix = seriesPrefix;
}

void TrainMonitor::clearAll()
{
    for (LiveSeriesChart *chart : {m_lr, m_speed, m_attack, m_utility})
        chart->clear();
    m_loss->clear();
    m_stats->clear();
    showMessage(QString(), false);
}

void TrainMonitor::setEveryEpoch(bool on)
{
    const QString text = on ? tr("Hit@K and R@K appear here after each epoch's evaluation.") : kEpochsOff;
    for (LiveSeriesChart *chart : {m_attack, m_utility})
        if (chart->lineNames().isEmpty())
            chart->setPlaceholder(text);
}

void TrainMonitor::showMessage(const QString &text, bool error)
{
    m_error = error && !text.isEmpty();
    m_message->setText(text);
    QPalette pal = palette();
    if (m_error)
        pal.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28)); // error red, readable on light and dark
    m_message->setPalette(pal);
}

void TrainMonitor::setPhase(const QString &text)
{
    m_phase->setText(text);
}

void TrainMonitor::stop(bool finished)
{
    if (finished) {
        m_bar->setRange(0, 1);
        m_bar->setValue(1);
        m_bar->setFormat(tr("done"));
    } else if (m_bar->maximum() == 0) {
        m_bar->setRange(0, 1);
        m_bar->setValue(0);
    }
}

QString TrainMonitor::runLabel() const
{
    return m_run->text();
}

QString TrainMonitor::phaseText() const
{
    return m_phase->text();
}

QString TrainMonitor::message() const
{
    return m_message->text();
}

void TrainMonitor::showStep(const TrainingStep &s)
{
    m_lastStep = s.step;
    m_loss->addStep(s.step, s.loss);
    m_lr->addPoint(tr("learning rate"), double(s.step), s.learningRate);
    if (s.samplesPerSecond > 0)
        m_speed->addPoint(tr("samples/s"), double(s.step), s.samplesPerSecond);
    if (s.totalSteps > 0) {
        if (m_bar->maximum() != int(s.totalSteps))
            m_bar->setRange(0, int(s.totalSteps));
        m_bar->setValue(int(s.step));
    }
    m_bar->setFormat(tr("training: step %v / %m — ETA %1").arg(formatDuration(s.etaSeconds)));
    m_phase->setText(tr("Training: epoch %1").arg(s.epoch));
    m_stats->setText(tr("loss %1 · learning rate %2 · %3 samples/s")
                         .arg(s.loss, 0, 'f', 4)
                         .arg(s.learningRate, 0, 'e', 2)
                         .arg(s.samplesPerSecond, 0, 'f', 0));
}

// Evaluation (and other phases) show their own progress when core gives a count.
void TrainMonitor::showPhase(const QString &text, qint64 done, qint64 total)
{
    m_phase->setText(text);
    if (total > 0) {
        // A phase that counts (embedding the gallery, the captions...) gets its own ETA from its
        // pace so far: the clock restarts when another phase starts counting.
        if (text != m_counting || done <= 1) {
            m_counting = text;
            m_phaseClock.start();
        }
        const double elapsed = m_phaseClock.elapsed() / 1000.0;
        const double eta = done > 1 && done < total ? elapsed / double(done) * double(total - done) : -1;
        m_bar->setRange(0, int(total));
        m_bar->setValue(int(std::min(done, total)));
        const QString what = text.startsWith(QLatin1String("evaluate")) ? tr("evaluating: %v / %m") : tr("%v / %m");
        m_bar->setFormat(eta >= 0 ? tr("%1 — ETA %2").arg(what, formatDuration(eta)) : what);
    }
}

void TrainMonitor::showEpochEvaluation(int epoch, const QStringList &goals, const QVariantMap &values)
{
    struct Point {
        LiveSeriesChart *chart;
        int group; ///< goal index, or retrieval direction
        int k;
        QString name;
        double value;
    };
    std::vector<Point> points;
    for (auto it = values.begin(); it != values.end(); ++it) {
        const QString key = it.key();
        const int k = key.mid(key.indexOf(QLatin1Char('@')) + 1).toInt();
        if (key.startsWith(QLatin1String("goal")) && key.contains(QLatin1String(".hit@"))) {
            const int index = key.mid(4, key.indexOf(QLatin1Char('.')) - 4).toInt();
            // One goal: named once, in the chart's title; several: in each line's name.
            const QString goal =
                goals.size() == 1
                    ? QString()
                    : (index < goals.size() ? goals[index] : tr("goal %1").arg(index + 1)) + QLatin1Char(' ');
            points.push_back({m_attack, index, k, m_prefix + goal + QStringLiteral("Hit@%1").arg(k), it->toDouble()});
        } else if (key.startsWith(QLatin1String("utility."))) {
            const bool textRetrieval = key.section(QLatin1Char('.'), 1, 1) == QLatin1String("text");
            const QString direction = textRetrieval ? tr("image→text") : tr("text→image");
            points.push_back({m_utility, textRetrieval ? 0 : 1, k,
                              m_prefix + direction + QStringLiteral(" R@%1").arg(k), it->toDouble()});
        }
    }
    // Lines appear in a readable order (Hit@1, 5, 10, not as the keys sort: 1, 10, 5).
    std::sort(points.begin(), points.end(), [](const Point &a, const Point &b) {
        return std::tie(a.chart, a.group, a.k) < std::tie(b.chart, b.group, b.k);
    });
    for (const Point &p : points)
        p.chart->addPoint(p.name, epoch, p.value);
    if (goals.size() == 1)
        m_attack->setTitle(tr("Attack goal: %1").arg(goals.front()));
    m_phase->setText(tr("Epoch %1 evaluated").arg(epoch));
}

} // namespace poisonlab::ui
