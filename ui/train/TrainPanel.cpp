#include "train/TrainPanel.h"

#include "experiment/ConfigVariablesForm.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDraft.h"
#include "experiment/PresetCatalog.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "train/HyperParameterForm.h"
#include "train/ModelPicker.h"
#include "train/TrainMonitor.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

const QString kModelVar = QStringLiteral("model");
const QString kModelRef = QStringLiteral("${model}");

// "finished", "cancelled"... of the run in `dir`; empty when `dir` holds no run. Reads run.json,
// a few hundred bytes.
QString runStatus(const QString &dir)
{
    try {
        const std::filesystem::path path(dir.toStdString());
        if (!experiment::RunDirectory::isRunDirectory(path))
            return {};
        return QString::fromStdString(experiment::RunDirectory::open(path).manifest().status);
    } catch (const std::exception &) {
        return {};
    }
}

QGroupBox *group(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

QString defaultVariable(const QString &name)
{
    if (name == QLatin1String("data"))
        return PresetCatalog::defaultDataDir();
    if (name == kModelVar)
        return PresetCatalog::defaultModelPath();
    return {};
}

} // namespace

TrainPanel::TrainPanel(ExperimentDraft *draft, QWidget *parent)
    : QWidget(parent), m_draft(draft), m_controller(new ExperimentController(this))
{
    setObjectName(QStringLiteral("trainPanel"));
    m_model = new ModelPicker(this);
    auto *varsBox = new QWidget(this);
    m_varsLayout = new QFormLayout(varsBox);
    m_varsLayout->setContentsMargins(0, 0, 0, 0);
    m_variables = new ConfigVariablesForm(m_varsLayout, 0, this);
    m_hyper = new HyperParameterForm(this);
    m_out = new QLineEdit(this);
    m_out->setObjectName(QStringLiteral("outputDir"));
    m_out->setToolTip(tr("The run directory this training writes (model, metrics, results)"));
    auto *outBrowse = new QPushButton(tr("Browse…"), this);
    m_force = new QCheckBox(tr("Replace a run already in the output folder"), this);
    m_clean = new QCheckBox(tr("Also train the clean reference (same data, no attack)"), this);
    m_clean->setObjectName(QStringLiteral("trainClean"));
    auto *outWidget = new QWidget(this);
    auto *outForm = new QFormLayout(outWidget);
    outForm->setContentsMargins(0, 0, 0, 0);
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_out, 1);
    outRow->addWidget(outBrowse);
    outForm->addRow(tr("Output folder:"), outRow);
    outForm->addRow(m_force);
    outForm->addRow(m_clean);

    m_start = new QPushButton(tr("Start training"), this);
    m_start->setObjectName(QStringLiteral("startTraining"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setToolTip(tr("Stops after the current step; the run keeps a checkpoint that Resume continues"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setToolTip(tr("Continues the cancelled or interrupted run in the output folder (and, for a pair, "
                            "the clean reference)"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);

    auto *form = new QWidget(this);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->addWidget(group(tr("Starting model"), m_model, form));
    formLayout->addWidget(group(tr("Data and variables"), varsBox, form));
    formLayout->addWidget(group(tr("Training"), m_hyper, form));
    formLayout->addWidget(group(tr("Output"), outWidget, form));
    formLayout->addLayout(buttons); // right under the output, where the eye ends up
    formLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_monitor = new TrainMonitor(m_controller, this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scroll);
    splitter->addWidget(m_monitor);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(outBrowse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), m_out->text());
        if (!dir.isEmpty())
            m_out->setText(dir);
    });
    connect(m_start, &QPushButton::clicked, this, &TrainPanel::start);
    connect(m_cancel, &QPushButton::clicked, this, &TrainPanel::cancel);
    connect(m_resume, &QPushButton::clicked, this, &TrainPanel::resume);
    connect(m_model, &ModelPicker::chosen, this, &TrainPanel::modelChosen);
    connect(m_hyper, &HyperParameterForm::edited, this, &TrainPanel::writeTraining);
    connect(m_draft, &ExperimentDraft::reset, this, &TrainPanel::reloadFromDraft);
    connect(m_draft, &ExperimentDraft::sectionChanged, this, &TrainPanel::reloadSection);
    connect(m_controller, &ExperimentController::busyChanged, this, [this] { setBusy(isTraining()); });
    connect(m_controller, &ExperimentController::finished, this, &TrainPanel::runEnded);
    connect(m_controller, &ExperimentController::failed, this,
            [this](const QString &message, const QString &file, const QString &) { runFailed(message, file); });
    connect(m_controller, &ExperimentController::cancelled, this, [this](const QString &dir, bool resumable) {
        m_queue.clear();
        m_monitor->stop(false);
        m_monitor->setPhase(tr("Cancelled"));
        m_monitor->showMessage(resumable
                                   ? tr("Cancelled. The run in %1 kept its checkpoint: Resume continues it.").arg(dir)
                                   : tr("Cancelled before the run directory was made: Start begins again."),
                               false);
        setBusy(false);
    });
    reloadFromDraft();
    setBusy(false);
}

TrainPanel::~TrainPanel()
{
    m_queue.clear();
    delete m_controller; // cancels a run and waits for it while the monitor and forms still exist
}

bool TrainPanel::isTraining() const
{
    return m_controller->isBusy() || !m_queue.isEmpty();
}

QString TrainPanel::outputDir() const
{
    return m_out->text().trimmed();
}

void TrainPanel::setOutputDir(const QString &dir)
{
    m_out->setText(dir);
}

void TrainPanel::setReplaceExisting(bool on)
{
    m_force->setChecked(on);
}

void TrainPanel::setTrainCleanReference(bool on)
{
    m_clean->setChecked(on);
}

QString TrainPanel::cleanOutputDir() const
{
    const QString out = QDir::cleanPath(outputDir());
    return out.isEmpty() ? QString() : out + QStringLiteral("-clean");
}

QString TrainPanel::message() const
{
    return m_monitor->message();
}

// --- the draft ------------------------------------------------------------------------------

void TrainPanel::reloadFromDraft()
{
    const json &doc = m_draft->document();
    const json evaluation = m_draft->section("evaluation");
    const bool everyEpoch = !evaluation.is_object() || evaluation.value("every_epoch", true);
    m_hyper->load(m_draft->section("training"), everyEpoch, doc.value("seed", std::uint64_t(0)));
    m_monitor->setEveryEpoch(everyEpoch);
    updateVariables();
    showDraftModel();
    const bool attack = hasAttack();
    m_clean->setEnabled(attack);
    m_clean->setToolTip(attack ? tr("Trains the same experiment with \"attack\": null into <output folder>-clean, "
                                    "after the poisoned run, so Results can compare the two")
                               : tr("This experiment has no attack: it is the clean run itself"));
    // Propose runs/<name> unless the user typed a folder of their own.
    const QString name = QString::fromStdString(doc.value("name", std::string("experiment")));
    if (m_out->text().isEmpty() || m_out->text() == m_autoOut) {
        m_autoOut = QDir::current().absoluteFilePath(QStringLiteral("runs/") + name);
        m_out->setText(m_autoOut);
    }
}

void TrainPanel::reloadSection(const QString &key)
{
    if (m_writing)
        return;
    if (key == QLatin1String("training") || key == QLatin1String("evaluation") || key == QLatin1String("model") ||
        key == QLatin1String("attack") || key == QLatin1String("datasets"))
        reloadFromDraft();
    else
        updateVariables(); // any section may bring a new ${variable}
}

// A field per ${variable} the draft uses, data and model with defaults; edits go to the draft.
void TrainPanel::updateVariables()
{
    const QStringList names = m_draft->variableNames();
    for (const QString &name : names)
        if (m_draft->variable(name).isEmpty() && !defaultVariable(name).isEmpty())
            m_draft->setVariable(name, defaultVariable(name));
    const QStringList before = m_variables->variables();
    m_variables->setVariables(names);
    for (const QString &name : names) {
        QLineEdit *field = m_variables->field(name);
        if (!m_draft->variable(name).isEmpty() && field->text() != m_draft->variable(name))
            field->setText(m_draft->variable(name));
        if (names != before) // new fields: connect them once
            connect(field, &QLineEdit::textEdited, this,
                    [this, name](const QString &text) { m_draft->setVariable(name, text.trimmed()); });
    }
    if (names != before && m_variables->field(kModelVar))
        connect(m_variables->field(kModelVar), &QLineEdit::editingFinished, this, &TrainPanel::showDraftModel);
}

bool TrainPanel::hasAttack() const
{
    const json attack = m_draft->section("attack");
    return attack.is_object();
}

void TrainPanel::showDraftModel()
{
    const json model = m_draft->section("model");
    const QString weights = model.is_object() && model.contains("weights") && model["weights"].is_string()
                                ? QString::fromStdString(model["weights"].get<std::string>())
                                : QString();
    if (weights == kModelRef)
        m_model->showWeights(m_draft->variable(kModelVar));
    else if (!weights.isEmpty())
        m_model->showWeights(QFileInfo(anchorFile()).dir().absoluteFilePath(weights));
    else
        m_model->showNewModel(model.is_object() ? model : json::object());
}

// Presets stay portable: a draft reading ${model} keeps it and gets the variable set.
void TrainPanel::modelChosen(const QString &path, bool demo)
{
    const json model = m_draft->section("model");
    const bool usesVariable = model.is_object() && model.value("weights", std::string()) == kModelRef.toStdString();
    if (usesVariable || demo) {
        if (!usesVariable)
            m_draft->setSection("model", {{"weights", kModelRef.toStdString()}});
        m_draft->setVariable(kModelVar, path);
        updateVariables();
    } else {
        m_draft->setSection("model", {{"weights", path.toStdString()}});
    }
}

void TrainPanel::writeTraining()
{
    m_writing = true;
    m_draft->setSection("training", m_hyper->training());
    m_draft->setEvaluationKey("every_epoch", m_hyper->everyEpoch());
    m_writing = false;
    m_monitor->setEveryEpoch(m_hyper->everyEpoch());
}

QString TrainPanel::anchorFile() const
{
    // As ExperimentDraft::resolve: a draft never saved anchors relative paths at the current folder.
    return m_draft->file().isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("experiment.json"))
                                     : m_draft->file();
}

// --- running ---------------------------------------------------------------------------------

bool TrainPanel::checkReady()
{
    if (isTraining()) {
        m_monitor->showMessage(tr("A run is already going: cancel it first."), true);
        return false;
    }
    if (QStringList missing = m_draft->missingVariables(); !missing.isEmpty()) {
        for (QString &name : missing)
            name = QStringLiteral("${%1}").arg(name);
        m_monitor->showMessage(tr("Fill in %1 under \"Data and variables\": the experiment reads from there.")
                                   .arg(missing.join(QStringLiteral(", "))),
                               true);
        return false;
    }
    if (outputDir().isEmpty()) {
        m_monitor->showMessage(tr("Choose an output folder."), true);
        return false;
    }
    return true;
}

QList<TrainPanel::PlannedRun> TrainPanel::plan(bool resuming, QString *error) const
{
    const bool pair = hasAttack() && m_clean->isChecked();
    const QString out = QDir::cleanPath(QDir(outputDir()).absolutePath());
    const int n = pair ? 2 : 1;
    QList<PlannedRun> runs;
    runs.append(
        {m_draft->document(), out,
         pair ? tr("Run 1 of 2: poisoned") : (hasAttack() ? tr("Run 1 of 1: poisoned") : tr("Run 1 of 1: clean")),
         pair ? tr("poisoned: ") : QString()});
    if (pair)
        runs.append({m_draft->cleanDocument(), out + QStringLiteral("-clean"), tr("Run 2 of 2: clean reference"),
                     tr("clean: ")});
    if (!resuming)
        return runs;
    // Resume what did not finish; a pair's clean run not begun yet starts afresh.
    QList<PlannedRun> left;
    for (int i = 0; i < runs.size(); ++i) {
        const QString status = runStatus(runs[i].dir);
        if (status == QLatin1String("finished"))
            continue;
        if (!status.isEmpty())
            runs[i].doc = nullptr;
        else if (i == 0) {
            *error = tr("%1 holds no run to resume: Start begins one.").arg(runs[i].dir);
            return {};
        }
        left.append(runs[i]);
    }
    if (left.isEmpty())
        *error = n == 2 ? tr("Both runs already finished: nothing to resume.")
                        : tr("The run in %1 already finished: nothing to resume.").arg(out);
    return left;
}

void TrainPanel::start()
{
    if (!checkReady())
        return;
    QString error;
    m_queue = plan(false, &error);
    m_runDir = m_queue.first().dir;
    m_cleanDir = m_queue.size() > 1 ? m_queue.last().dir : QString();
    m_monitor->clearAll();
    startNext();
}

void TrainPanel::resume()
{
    if (!checkReady())
        return;
    QString error;
    QList<PlannedRun> runs = plan(true, &error);
    if (runs.isEmpty()) {
        m_monitor->showMessage(error, true);
        return;
    }
    const bool pair = hasAttack() && m_clean->isChecked();
    m_runDir = QDir::cleanPath(QDir(outputDir()).absolutePath());
    m_cleanDir = pair ? m_runDir + QStringLiteral("-clean") : QString();
    m_queue = runs;
    m_monitor->clearAll();
    startNext();
}

void TrainPanel::startNext()
{
    const PlannedRun run = m_queue.takeFirst();
    m_monitor->beginRun(run.label, run.prefix);
    const bool ok = run.doc.is_null() ? m_controller->resume(run.dir)
                                      : m_controller->start(run.doc, anchorFile(), m_draft->variables(), run.dir,
                                                            m_force->isChecked());
    if (!ok) {
        m_queue.clear();
        m_monitor->showMessage(tr("A run is already going: cancel it first."), true);
    }
    setBusy(isTraining());
}

void TrainPanel::cancel()
{
    if (!m_controller->isBusy())
        return;
    m_queue.clear(); // the pair's second run does not start after a cancel
    m_controller->cancel();
    m_monitor->setPhase(tr("Cancelling (after the current step)…"));
}

void TrainPanel::runEnded(const QString &dir)
{
    if (!m_queue.isEmpty()) {
        m_monitor->showMessage(tr("Finished %1; the clean reference follows.").arg(dir), false);
        startNext();
        return;
    }
    m_monitor->stop(true);
    m_monitor->setPhase(tr("Finished"));
    m_monitor->showMessage(m_cleanDir.isEmpty()
                               ? tr("Finished: %1").arg(m_runDir)
                               : tr("Finished: %1 and its clean reference %2").arg(m_runDir, m_cleanDir),
                           false);
    setBusy(false);
    Q_EMIT runFinished(m_runDir, m_cleanDir);
}

void TrainPanel::runFailed(const QString &message, const QString &file)
{
    m_queue.clear();
    m_monitor->stop(false);
    m_monitor->setPhase(tr("Failed"));
    QString text = message;
    // LibTorch says "CUDA out of memory" / "DefaultCPUAllocator: not enough memory"; new says bad_alloc.
    if (message.contains(QLatin1String("out of memory"), Qt::CaseInsensitive) ||
        message.contains(QLatin1String("not enough memory"), Qt::CaseInsensitive) ||
        message.contains(QLatin1String("bad_alloc")))
        text = tr("Out of memory on %1: lower the batch size (now %2).\n%3")
                   .arg(m_hyper->device())
                   .arg(m_hyper->training().value("batchSize", 128))
                   .arg(message.section(QLatin1Char('\n'), 0, 0));
    else if (!file.isEmpty() && !message.contains(file))
        text += QLatin1Char('\n') + tr("File: %1").arg(file);
    m_monitor->showMessage(text, true);
    setBusy(false);
}

void TrainPanel::setBusy(bool busy)
{
    m_start->setEnabled(!busy);
    m_resume->setEnabled(!busy);
    m_cancel->setEnabled(busy);
}

} // namespace poisonlab::ui
