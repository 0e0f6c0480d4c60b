#pragma once

#include "poisonlab/core/data/DatasetSource.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace poisonlab::ui {

/// File > Open Dataset…: the format, the dataset root folder and the annotation files.
class OpenDatasetDialog : public QDialog {
    Q_OBJECT
public:
    explicit OpenDatasetDialog(QWidget *parent = nullptr);

    /// The dataset-format ids offered, with a line on what each expects.
    static QList<QPair<QString, QString>> knownFormats();

    void setSource(const data::DatasetSource &source);
    data::DatasetSource source() const;

    QComboBox *formatBox() const { return m_format; }
    QLineEdit *rootField() const { return m_root; }
    QListWidget *annotationList() const { return m_annotations; }

private:
    void updateState();
    void browseRoot();
    void addAnnotations();

    QComboBox *m_format;
    QLabel *m_formatHint;
    QLineEdit *m_root;
    QListWidget *m_annotations;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace poisonlab::ui
