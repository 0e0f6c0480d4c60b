#include "experiment/ExperimentPanel.h"

#include "charts/LiveLossChart.h"
#include "experiment/ConfigVariablesForm.h"
#include "experiment/ExperimentController.h"
#include "experiment/PresetCatalog.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace poisonlab::ui {

namespace {

const int kCustomConfig = -1; // item data of the "Config file…" entry

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

QWidget *withButton(QLineEdit *field, QPushButton *button, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(field, 1);
    row->addWidget(button);
    return box;
}

} // namespace

ExperimentPanel::ExperimentPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("experimentPanel"));
    m_controller = new ExperimentController(this);

    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetBox"));
    const QList<Preset> presets = PresetCatalog::presets();
    for (int i = 0; i < presets.size(); ++i) {
        m_preset->addItem(presets[i].name, presets[i].path);
        m_preset->setItemData(i, presets[i].description, Qt::ToolTipRole);
    }
    m_preset->addItem(tr("Config file…"), kCustomConfig);
    m_config = new QLineEdit(this);
    m_config->setObjectName(QStringLiteral("configPath"));
    m_config->setPlaceholderText(tr("experiment config (.json)"));
    m_configBrowse = new QPushButton(tr("Browse…"), this);
    m_data = new QLineEdit(PresetCatalog::defaultDataDir(), this);
    m_data->setToolTip(tr("Fills ${data} in the config: the folder holding the demo data (pascal/, coco/, web/)"));
    auto *dataBrowse = new QPushButton(tr("Browse…"), this);
    m_model = new QLineEdit(PresetCatalog::defaultModelPath(), this);
    m_model->setToolTip(tr("Fills ${model} in the config: the starting CLIP weights "
                           "(the demo CLIP made by `poisonlab-cli demo`)"));
    m_model->setPlaceholderText(tr("no demo CLIP found: run `poisonlab-cli demo` once"));
    auto *modelBrowse = new QPushButton(tr("Browse…"), this);
    m_out = new QLineEdit(this);
    m_out->setObjectName(QStringLiteral("outputDir"));
    auto *outBrowse = new QPushButton(tr("Browse…"), this);
    m_force = new QCheckBox(tr("Replace a run already in the output folder"), this);

    auto *form = new QFormLayout;
    form->addRow(tr("Preset:"), m_preset);
    form->addRow(tr("Config:"), withButton(m_config, m_configBrowse, this));
    form->addRow(tr("Data folder:"), withButton(m_data, dataBrowse, this));
    form->addRow(tr("Model:"), withButton(m_model, modelBrowse, this));
    m_variables = new ConfigVariablesForm(form, form->rowCount(), this); // rows for the config's other ${variables}
    form->addRow(tr("Output folder:"), withButton(m_out, outBrowse, this));
    form->addRow(QString(), m_force);

    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("runExperiment"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelExperiment"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("resumeExperiment"));
    m_resume->setToolTip(tr("Continue the cancelled or interrupted run in the output folder"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);

    m_phase = new QLabel(tr("Idle"), this);
    m_phase->setWordWrap(true);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("experimentProgress"));
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_stats = new QLabel(this);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("experimentMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chart = new LiveLossChart(this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_phase);
    layout->addWidget(m_bar);
    layout->addWidget(m_stats);
    layout->addWidget(m_message);
    layout->addWidget(m_chart, 1);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &ExperimentPanel::presetChosen);
    connect(m_configBrowse, &QPushButton::clicked, this, &ExperimentPanel::browseConfig);
    connect(m_config, &QLineEdit::textChanged, this, &ExperimentPanel::updateVariableFields);
    connect(dataBrowse, &QPushButton::clicked, this, [this] { browseFolder(m_data, tr("Data folder")); });
    connect(modelBrowse, &QPushButton::clicked, this, &ExperimentPanel::browseModel);
    connect(outBrowse, &QPushButton::clicked, this, [this] { browseFolder(m_out, tr("Output folder")); });
    connect(m_run, &QPushButton::clicked, this, &ExperimentPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &ExperimentPanel::cancel);
    connect(m_resume, &QPushButton::clicked, this, &ExperimentPanel::resume);

    connect(m_controller, &ExperimentController::busyChanged, this, &ExperimentPanel::setBusy);
    connect(m_controller, &ExperimentController::started, this, [this](const QString &dir, bool resuming) {
        m_chart->clear();
        m_stats->clear();
        m_bar->setRange(0, 0);
        m_phase->setText(resuming ? tr("Resuming %1…").arg(dir) : tr("Starting %1…").arg(dir));
        showMessage(QString(), false);
    });
    connect(m_controller, &ExperimentController::stepReported, this, &ExperimentPanel::showStep);
    connect(m_controller, &ExperimentController::epochFinished, this, [this](int epoch, double meanLoss) {
        m_chart->addEpoch(m_bar->value(), meanLoss);
        m_phase->setText(tr("Epoch %1 done (mean loss %2)").arg(epoch).arg(meanLoss, 0, 'f', 4));
    });
    connect(m_controller, &ExperimentController::phaseChanged, this,
            [this](const QString &text, qint64, qint64) { m_phase->setText(text); });
    connect(m_controller, &ExperimentController::finished, this, [this](const QString &dir) {
        m_bar->setRange(0, 1);
        m_bar->setValue(1);
        m_phase->setText(tr("Finished"));
        showMessage(tr("Finished: %1").arg(dir), false);
        Q_EMIT runFinished(dir);
    });
    connect(m_controller, &ExperimentController::failed, this,
            [this](const QString &message, const QString &file, const QString &) {
                m_bar->setRange(0, 1);
                m_bar->setValue(0);
                m_phase->setText(tr("Failed"));
                QString text = message;
                if (!file.isEmpty() && !message.contains(file))
                    text += QLatin1Char('\n') + tr("File: %1").arg(file);
                showMessage(text, true);
            });
    connect(m_controller, &ExperimentController::cancelled, this, [this](const QString &dir, bool resumable) {
        if (m_bar->maximum() == 0)
            m_bar->setRange(0, 1);
        m_phase->setText(tr("Cancelled"));
        showMessage(resumable ? tr("Cancelled. The run in %1 kept its checkpoint: Resume continues it.").arg(dir)
                              : tr("Cancelled before the run directory was made: Run starts it again."),
                    false);
    });
    presetChosen();
    setBusy(false);
}

ExperimentPanel::~ExperimentPanel() = default;

QString ExperimentPanel::configPath() const
{
    if (m_preset->currentIndex() == m_preset->count() - 1)
        return m_config->text().trimmed();
    return m_preset->currentData().toString();
}

void ExperimentPanel::setConfigPath(const QString &path)
{
    m_preset->setCurrentIndex(m_preset->count() - 1);
    m_config->setText(path);
}

void ExperimentPanel::selectPreset(const QString &name)
{
    const int index = m_preset->findText(name);
    if (index >= 0)
        m_preset->setCurrentIndex(index);
}

QMap<QString, QString> ExperimentPanel::variables() const
{
    QMap<QString, QString> vars;
    if (!m_data->text().trimmed().isEmpty())
        vars.insert(QStringLiteral("data"), m_data->text().trimmed());
    if (!m_model->text().trimmed().isEmpty())
        vars.insert(QStringLiteral("model"), m_model->text().trimmed());
    const QMap<QString, QString> more = m_variables->values();
    for (auto it = more.begin(); it != more.end(); ++it)
        vars.insert(it.key(), it.value());
    return vars;
}

void ExperimentPanel::setDataDir(const QString &dir)
{
    m_data->setText(dir);
}

void ExperimentPanel::setModelPath(const QString &path)
{
    m_model->setText(path);
}

QString ExperimentPanel::outputDir() const
{
    return m_out->text().trimmed();
}

void ExperimentPanel::setOutputDir(const QString &dir)
{
    m_out->setText(dir);
}

void ExperimentPanel::setReplaceExisting(bool on)
{
    m_force->setChecked(on);
}

QString ExperimentPanel::message() const
{
    return m_message->text();
}

QString ExperimentPanel::phaseText() const
{
    return m_phase->text();
}

void ExperimentPanel::presetChosen()
{
    const bool custom = m_preset->currentIndex() == m_preset->count() - 1;
    m_config->setEnabled(custom);
    m_configBrowse->setEnabled(custom);
    if (!custom)
        m_config->setText(configPath());
    // Propose runs/<preset> unless the user typed a folder of their own.
    const QString name = custom ? QFileInfo(m_config->text()).completeBaseName() : m_preset->currentText();
    if (!name.isEmpty() && (m_out->text().isEmpty() || m_out->text() == m_autoOut)) {
        m_autoOut = QDir::current().absoluteFilePath(QStringLiteral("runs/") + name);
        m_out->setText(m_autoOut);
    }
    updateVariableFields();
}

// Reads the config's ${variables} (a small JSON file: read here, not on a job) and shows a field
// for each one the panel has no field of its own for.
void ExperimentPanel::updateVariableFields()
{
    QStringList names;
    const QString path = configPath();
    if (!path.isEmpty() && QFileInfo(path).isFile()) {
        try {
            for (const std::string &name :
                 experiment::ExperimentConfig::variablesIn(readJsonFile(path.toStdString()))) {
                const QString n = QString::fromStdString(name);
                if (n != QLatin1String("data") && n != QLatin1String("model"))
                    names << n;
            }
        } catch (const std::exception &) {
            // A config that does not read is reported when it runs, with the file and the line.
        }
    }
    m_variables->setVariables(names);
}

void ExperimentPanel::run()
{
    const QString config = configPath();
    if (config.isEmpty() || !QFileInfo(config).isFile()) {
        showMessage(config.isEmpty() ? tr("Choose a preset or a config file.") : tr("%1: no such file").arg(config),
                    true);
        return;
    }
    if (QStringList missing = m_variables->missing(); !missing.isEmpty()) {
        for (QString &name : missing)
            name = QStringLiteral("${%1}").arg(name);
        showMessage(tr("Fill in %1: this config reads its data from there.").arg(missing.join(QStringLiteral(", "))),
                    true);
        return;
    }
    if (outputDir().isEmpty()) {
        showMessage(tr("Choose an output folder."), true);
        return;
    }
    if (!m_controller->start(config, variables(), outputDir(), m_force->isChecked()))
        showMessage(tr("A run is already running: cancel it first."), true);
}

void ExperimentPanel::cancel()
{
    if (!m_controller->isBusy())
        return;
    m_controller->cancel();
    m_phase->setText(tr("Cancelling (after the current step)…"));
}

void ExperimentPanel::resume()
{
    if (outputDir().isEmpty()) {
        showMessage(tr("Choose the output folder of the run to resume."), true);
        return;
    }
    if (!m_controller->resume(outputDir()))
        showMessage(tr("A run is already running: cancel it first."), true);
}

void ExperimentPanel::showStep(const TrainingStep &s)
{
    m_chart->addStep(s.step, s.loss);
    if (s.totalSteps > 0) {
        if (m_bar->maximum() != int(s.totalSteps))
            m_bar->setRange(0, int(s.totalSteps));
        m_bar->setValue(int(s.step));
    }
    m_bar->setFormat(tr("step %v / %m — ETA %1").arg(formatDuration(s.etaSeconds)));
    m_phase->setText(tr("Training: epoch %1").arg(s.epoch));
    m_stats->setText(tr("loss %1 · lr %2 · %3 samples/s")
                         .arg(s.loss, 0, 'f', 4)
                         .arg(s.learningRate, 0, 'e', 2)
                         .arg(s.samplesPerSecond, 0, 'f', 0));
}

void ExperimentPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ExperimentPanel::setBusy(bool busy)
{
    m_run->setEnabled(!busy);
    m_resume->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    m_preset->setEnabled(!busy);
}

void ExperimentPanel::browseConfig()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Experiment config"), m_config->text(),
                                                      tr("Experiment configs (*.json)"));
    if (!path.isEmpty())
        setConfigPath(path);
}

void ExperimentPanel::browseFolder(QLineEdit *field, const QString &title)
{
    const QString dir = QFileDialog::getExistingDirectory(this, title, field->text());
    if (!dir.isEmpty())
        field->setText(dir);
}

void ExperimentPanel::browseModel()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Starting CLIP weights"), m_model->text(),
                                                      tr("CLIP weights (*.safetensors *.pt *.bin);;All files (*)"));
    if (!path.isEmpty())
        m_model->setText(path);
}

} // namespace poisonlab::ui
