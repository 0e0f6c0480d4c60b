#pragma once

#include <QList>
#include <QString>
#include <QWidget>

#include <nlohmann/json.hpp>

class QCheckBox;
class QFormLayout;
class QLineEdit;
class QPushButton;

namespace poisonlab::ui {

class ConfigVariablesForm;
class ExperimentController;
class ExperimentDraft;
class HyperParameterForm;
class ModelPicker;
class TrainMonitor;

/// The Train panel: trains the experiment designed in the workbench (the ExperimentDraft), not
/// a file. The starting model (demo CLIP, a weights file or a Hugging Face folder, its
/// architecture shown), a field for each `${variable}` the draft uses, the hyper-parameters and
/// device, and the output folder write the draft as they are edited; Start runs the draft into
/// the output folder and, when asked, its clean reference (same data, no attack) into
/// `<output>-clean`, one after the other. Cancel checkpoints; Resume continues what did not
/// finish. Live charts and core's log are in a TrainMonitor beside the form.
class TrainPanel : public QWidget {
    Q_OBJECT
public:
    TrainPanel(ExperimentDraft *draft, QWidget *parent = nullptr);
    ~TrainPanel() override;

    /// A run (or the pair's second) is in progress.
    bool isTraining() const;

    ExperimentController *controller() const { return m_controller; }
    ModelPicker *modelPicker() const { return m_model; }
    ConfigVariablesForm *variablesForm() const { return m_variables; }
    HyperParameterForm *hyperParameters() const { return m_hyper; }
    TrainMonitor *monitor() const { return m_monitor; }
    QCheckBox *cleanReferenceBox() const { return m_clean; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *resumeButton() const { return m_resume; }

    QString outputDir() const;
    void setOutputDir(const QString &dir);
    void setReplaceExisting(bool on);
    void setTrainCleanReference(bool on);
    /// The clean reference's folder: `<output>-clean`.
    QString cleanOutputDir() const;
    QString message() const;

public Q_SLOTS:
    void start();
    void cancel();
    /// Continues the run in the output folder and, for a pair, the clean one when it did not finish.
    void resume();

Q_SIGNALS:
    /// Everything started finished: the run's directory and the clean reference's (empty when
    /// none was trained), ready to open in Results.
    void runFinished(const QString &runDir, const QString &cleanRunDir);

private:
    struct PlannedRun {
        nlohmann::json doc; ///< null: resume `dir`
        QString dir;
        QString label;
        QString prefix;
    };

    void reloadFromDraft();
    void reloadSection(const QString &key);
    void updateVariables();
    void showDraftModel();
    void modelChosen(const QString &path, bool demo);
    void writeTraining();
    bool hasAttack() const;
    bool checkReady();
    void startNext();
    void runEnded(const QString &dir);
    void runFailed(const QString &message, const QString &file);
    void setBusy(bool busy);
    QString anchorFile() const;
    QList<PlannedRun> plan(bool resuming, QString *error) const;

    ExperimentDraft *m_draft;
    ExperimentController *m_controller;
    ModelPicker *m_model;
    QFormLayout *m_varsLayout;
    ConfigVariablesForm *m_variables;
    HyperParameterForm *m_hyper;
    QLineEdit *m_out;
    QCheckBox *m_force;
    QCheckBox *m_clean;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPushButton *m_resume;
    TrainMonitor *m_monitor;
    QList<PlannedRun> m_queue;
    QString m_runDir, m_cleanDir; ///< of the current start (the clean one empty when not asked for)
    QString m_autoOut;            ///< the output folder we proposed; replaced on reset unless edited
    bool m_writing = false;       ///< this panel is writing the draft: do not reload from it
};

} // namespace poisonlab::ui
