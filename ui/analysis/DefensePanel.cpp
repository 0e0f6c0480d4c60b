#include "analysis/DefensePanel.h"

#include "jobs/JobRunner.h"
#include "results/DefenseResultsView.h"
#include "style/StatusColors.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/DefenseStage.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

Q_DECLARE_METATYPE(nlohmann::json)

namespace poisonlab::ui {

namespace {

using nlohmann::json;

std::filesystem::path toPath(const QString &s)
{
    return std::filesystem::path(QDir(s).absolutePath().toStdString());
}

/// A results/defense file of the run: the parsed JSON, or null with why it could not be read
/// (empty `problem` when it is simply absent).
json readDefenseFile(const QString &runDir, const char *name, QString *problem)
{
    const QString path = QDir(runDir).absoluteFilePath(QStringLiteral("results/defense/") + QLatin1String(name));
    if (!QFileInfo::exists(path))
        return nullptr;
    try {
        return readJsonFile(toPath(path));
    } catch (const Error &e) {
        *problem = QString::fromUtf8(e.what());
        return nullptr;
    }
}

} // namespace

DefensePanel::DefensePanel(QWidget *parent) : QWidget(parent), m_runner(new JobRunner(QStringLiteral("defend"), this))
{
    qRegisterMetaType<json>();
    m_results = new DefenseResultsView(this);
    m_results->setMinimumHeight(860); // charts and tables readable; the panel scrolls below that
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_results);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(makeForm());
    layout->addWidget(scroll, 1);

    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &e) {
        m_progress->setRange(0, e.total > 0 ? int(e.total) : 0);
        m_progress->setValue(int(e.done));
        if (e.stage == "train" && e.total > 0)
            setStatus(tr("Fine-tuning: step %1 of %2").arg(e.done).arg(e.total));
        else // e.g. "dataset: sheep/…", "defense: evaluating after clean fine-tuning epoch 1"
            setStatus(QString::fromStdString(e.message.empty() ? e.stage : e.stage + ": " + e.message));
    });
    connect(m_runner, &JobRunner::finished, this, [this](quint64, const QVariant &result, double seconds) {
        loadRunResults(result.value<json>());
        setStatus(tr("Done in %1 s; results/defense/posttrain.json written.").arg(seconds, 0, 'f', 0));
        Q_EMIT defenseFinished(m_runs.poisoned);
    });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        setStatus(file.isEmpty() || message.contains(file) ? message : file + QStringLiteral(": ") + message, true);
    });
    connect(m_runner, &JobRunner::cancelled, this,
            [this](quint64, const QVariant &) { setStatus(tr("Cancelled; posttrain.json was not changed.")); });
    connect(m_runner, &JobRunner::busyChanged, this, &DefensePanel::updateBusy);
    updateBusy(false);
    setRuns({});
}

QWidget *DefensePanel::makeForm()
{
    auto *box = new QWidget(this);
    box->setMaximumWidth(360);
    auto *column = new QVBoxLayout(box);
    auto *intro = new QLabel(tr("<b>Post-training defense</b>: fine-tune the poisoned model on clean data, once per "
                                "learning rate, evaluating utility and the attack after every epoch."),
                             box);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_dataset = new QComboBox(box);
    m_dataset->setToolTip(tr("A dataset of the run's experiment, read without the attack"));
    m_split = new QComboBox(box);
    m_split->addItems({QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test"), QStringLiteral("all")});
    m_epochs = new QSpinBox(box);
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(1);
    m_rates = new QLineEdit(QStringLiteral("1e-3, 1e-4, 1e-5"), box);
    m_rates->setToolTip(tr("Peak learning rates, separated by commas or spaces; each starts from the poisoned model "
                           "(the paper: 1e-3, 1e-4, 1e-5)"));
    m_ratesError = new QLabel(box);
    m_ratesError->setWordWrap(true);
    m_ratesError->setStyleSheet(StatusColors::errorStyle(palette()));
    m_ratesError->hide();
    m_batch = new QSpinBox(box);
    m_batch->setRange(0, 65536);
    m_batch->setSpecialValueText(tr("the run's"));
    form->addRow(tr("Clean data:"), m_dataset);
    form->addRow(tr("Split:"), m_split);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("Learning rates:"), m_rates);
    form->addRow(QString(), m_ratesError);
    form->addRow(tr("Batch size:"), m_batch);

    m_start = new QPushButton(tr("Start"), box);
    m_cancel = new QPushButton(tr("Cancel"), box);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    m_progress = new QProgressBar(box);
    m_status = new QLabel(box);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(intro);
    column->addLayout(form);
    column->addLayout(buttons);
    column->addWidget(m_progress);
    column->addWidget(m_status);
    column->addStretch(1);
    connect(m_start, &QPushButton::clicked, this, &DefensePanel::start);
    connect(m_cancel, &QPushButton::clicked, this, &DefensePanel::cancel);
    connect(m_rates, &QLineEdit::textEdited, m_ratesError, &QWidget::hide);
    return box;
}

void DefensePanel::setRuns(const AnalysisRuns &runs)
{
    m_runs = runs;
    m_dataset->clear();
    setStatus(QString());
    if (runs.poisoned.isEmpty()) {
        m_results->clear();
        setStatus(tr("Open a finished poisoned run to defend it."));
        updateBusy(m_runner->isBusy());
        return;
    }
    try {
        const json config = readJsonFile(toPath(QDir(runs.poisoned).absoluteFilePath(QStringLiteral("config.json"))));
        // config.json comes from the run folder: a key of another type is skipped, not thrown.
        const json datasets = config.is_object() ? config.value("datasets", json::object()) : json::object();
        if (datasets.is_object())
            for (const auto &[name, value] : datasets.items())
                m_dataset->addItem(QString::fromStdString(name));
        const json evaluation = config.is_object() ? config.value("evaluation", json::object()) : json::object();
        const std::string evalDataset =
            evaluation.is_object() && evaluation.contains("dataset") && evaluation["dataset"].is_string()
                ? evaluation["dataset"].get<std::string>()
                : std::string();
        if (const int i = m_dataset->findText(QString::fromStdString(evalDataset)); i >= 0)
            m_dataset->setCurrentIndex(i);
        if (!config.is_object() || !config.contains("attack") || config["attack"].is_null())
            setStatus(tr("%1 has no attack: the defense needs a poisoned run.").arg(runs.poisoned), true);
    } catch (const Error &e) {
        setStatus(QString::fromUtf8(e.what()), true);
    }
    QString problem;
    loadRunResults(readDefenseFile(runs.poisoned, "posttrain.json", &problem));
    if (!problem.isEmpty())
        setStatus(problem, true);
    updateBusy(m_runner->isBusy());
}

void DefensePanel::loadRunResults(const json &posttrain)
{
    QString preProblem;
    const json prefilter = readDefenseFile(m_runs.poisoned, "prefilter.json", &preProblem);
    m_results->show(prefilter, preProblem, posttrain, QString());
}

QList<double> DefensePanel::parseLearningRates(const QString &text, QString *error)
{
    QList<double> out;
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        bool ok = false;
        const double v = p.toDouble(&ok);
        if (!ok || !(v > 0)) {
            if (error)
                *error = QObject::tr("\"%1\" is not a positive number").arg(p);
            return {};
        }
        out.append(v);
    }
    if (out.isEmpty() && error)
        *error = QObject::tr("give at least one learning rate");
    return out;
}

json DefensePanel::defenseConfig()
{
    QString error;
    const QList<double> rates = parseLearningRates(m_rates->text(), &error);
    m_ratesError->setText(error);
    m_ratesError->setVisible(!error.isEmpty());
    if (rates.isEmpty() || m_dataset->currentText().isEmpty())
        return nullptr;
    json options = {{"dataset", m_dataset->currentText().toStdString()},
                    {"split", m_split->currentText().toStdString()},
                    {"epochs", m_epochs->value()},
                    {"learning_rates", std::vector<double>(rates.begin(), rates.end())}};
    if (m_batch->value() > 0)
        options["training"] = {{"batchSize", m_batch->value()}};
    return {{"defenses", json::array({{{"plugin", "defense-clean-finetune"}, {"options", options}}})}};
}

void DefensePanel::setEpochs(int epochs)
{
    m_epochs->setValue(epochs);
}

void DefensePanel::setLearningRates(const QString &text)
{
    m_rates->setText(text);
}

bool DefensePanel::start()
{
    if (m_runs.poisoned.isEmpty() || m_runner->isBusy())
        return false;
    const json config = defenseConfig();
    if (config.is_null()) {
        setStatus(m_dataset->currentText().isEmpty() ? tr("The run's config names no dataset to fine-tune on.")
                                                     : tr("Fix the learning rates first."),
                  true);
        return false;
    }
    JobOptions options;
    options.contextFile = m_runs.poisoned;
    m_runner->start(
        [run = toPath(m_runs.poisoned), config](ProgressReporter &progress) {
            return QVariant::fromValue(
                experiment::defendRun(run, config, "defense options (workbench)", {}, std::string(), progress));
        },
        options);
    setStatus(tr("Starting the clean fine-tuning…"));
    return true;
}

void DefensePanel::cancel()
{
    m_runner->cancel();
}

bool DefensePanel::isBusy() const
{
    return m_runner->isBusy();
}

QString DefensePanel::statusText() const
{
    return m_status->text();
}

void DefensePanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? StatusColors::errorStyle(palette()) : QString());
}

void DefensePanel::updateBusy(bool busy)
{
    m_start->setEnabled(!busy && !m_runs.poisoned.isEmpty());
    m_cancel->setEnabled(busy);
    m_progress->setVisible(busy);
    for (QWidget *w : std::initializer_list<QWidget *>{m_dataset, m_split, m_epochs, m_rates, m_batch})
        w->setEnabled(!busy);
}

} // namespace poisonlab::ui
