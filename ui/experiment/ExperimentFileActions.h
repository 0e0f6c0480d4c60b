#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QWidget;

namespace poisonlab::ui {

class ExperimentDraft;

/// File › New Experiment from Preset, Open Experiment…, Save Experiment, Save Experiment As…:
/// the draft to and from experiment configs. A preset becomes an untitled draft (Save asks where,
/// so a shipped preset is never overwritten); a file that does not read is reported with its name
/// and the draft stays as it was; saving writes a temporary file and renames it.
class ExperimentFileActions : public QObject {
    Q_OBJECT
public:
    ExperimentFileActions(ExperimentDraft *draft, QWidget *dialogParent);

    QMenu *presetMenu() const { return m_presets; }
    QAction *openAction() const { return m_open; }
    QAction *saveAction() const { return m_save; }
    QAction *saveAsAction() const { return m_saveAs; }

    /// Loads the shipped preset `name` ("demo-attack2") as an untitled draft; false when absent.
    bool loadPreset(const QString &name);
    /// Opens `path` into the draft; false (and errorText()) when it does not read or core would
    /// refuse it (unknown keys, wrong types...); the draft is then left as it was.
    bool open(const QString &path);
    /// Saves to `path`; false (and errorText()) when it cannot be written.
    bool saveTo(const QString &path);
    QString errorText() const { return m_error; }
    /// The name the window title shows: the file's, or "untitled (from <preset>)".
    QString displayName() const;

Q_SIGNALS:
    void opened(const QString &name);
    void saved(const QString &path);
    void failed(const QString &title, const QString &message);

private:
    void chooseFile();
    void save();
    void saveAs();
    static bool checkConfig(const ExperimentDraft &draft, QString *error);

    ExperimentDraft *m_draft;
    QWidget *m_parent;
    QMenu *m_presets;
    QAction *m_open;
    QAction *m_save;
    QAction *m_saveAs;
    QString m_error;
    QString m_presetName; ///< the preset an untitled draft came from
};

} // namespace poisonlab::ui
