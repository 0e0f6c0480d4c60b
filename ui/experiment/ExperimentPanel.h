#pragma once

#include "experiment/TrainingStep.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace poisonlab::ui {

class ConfigVariablesForm;

class ExperimentController;
class LiveLossChart;

/// The Experiment panel: pick a preset (or any config file), fill its `${data}` / `${model}`
/// variables and an output folder, then Run, Cancel or Resume. Shows the phase, a progress bar
/// with ETA, the live loss chart, and core's error messages (never a crash). The work itself runs
/// in an ExperimentController.
class ExperimentPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentPanel(QWidget *parent = nullptr);
    ~ExperimentPanel() override;

    ExperimentController *controller() const { return m_controller; }
    LiveLossChart *lossChart() const { return m_chart; }

    /// The config file the Run button would start (the chosen preset's, or the chosen file).
    QString configPath() const;
    void setConfigPath(const QString &path); ///< selects "Config file…" with this path
    void selectPreset(const QString &name);
    QMap<QString, QString> variables() const; ///< data, model and the config's other ${variables} (when filled)
    ConfigVariablesForm *variablesForm() const { return m_variables; }
    void setDataDir(const QString &dir);
    void setModelPath(const QString &path);
    QString outputDir() const;
    void setOutputDir(const QString &dir);
    void setReplaceExisting(bool on);

    /// What the panel says under the progress bar (errors, "cancelled: can be resumed", done).
    QString message() const;
    QString phaseText() const;
    QProgressBar *progressBar() const { return m_bar; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *resumeButton() const { return m_resume; }

public Q_SLOTS:
    void run();
    void cancel();
    /// Resumes the run in the output folder.
    void resume();

Q_SIGNALS:
    /// A run finished; its directory is ready to open.
    void runFinished(const QString &runDir);

private:
    void presetChosen();
    void updateVariableFields();
    void showStep(const TrainingStep &step);
    void showMessage(const QString &text, bool error);
    void setBusy(bool busy);
    void browseConfig();
    void browseFolder(QLineEdit *field, const QString &title);
    void browseModel();

    ExperimentController *m_controller;
    QComboBox *m_preset;
    QLineEdit *m_config;
    QPushButton *m_configBrowse;
    QLineEdit *m_data;
    QLineEdit *m_model;
    QLineEdit *m_out;
    QCheckBox *m_force;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_resume;
    QLabel *m_phase;
    QProgressBar *m_bar;
    QLabel *m_stats;
    QLabel *m_message;
    LiveLossChart *m_chart;
    ConfigVariablesForm *m_variables;
    QString m_autoOut; ///< the output folder we proposed; replaced on preset change unless edited
};

} // namespace poisonlab::ui
