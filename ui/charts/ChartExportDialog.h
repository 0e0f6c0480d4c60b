#pragma once

#include "charts/ChartExporter.h"

#include <QDialog>
#include <QSize>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace poisonlab::ui {

/// The small dialog behind every chart's Export…: width and height in pixels (a PNG gets twice
/// as many, for sharp slides), the format (PNG, SVG, PDF) and the file. A file name typed
/// without a suffix gets the format's; typing a known suffix picks that format. A failed export
/// (an unwritable folder) says so under the file field, naming the path, and the dialog stays.
class ChartExportDialog : public QDialog {
    Q_OBJECT
public:
    /// Writes the file; false and the reason (naming the path) in `error` when it cannot.
    using Exporter = std::function<bool(const QString &path, QSize size, QString *error)>;

    ChartExportDialog(Exporter exporter, const QString &suggestedName, QWidget *parent = nullptr);

    void setFilePath(const QString &path);
    void setFormat(ChartExporter::Format format);
    ChartExporter::Format format() const;
    void setPixelSize(QSize size);
    QSize pixelSize() const;
    /// The file that Export writes: the typed name with the format's suffix when it had none.
    QString targetPath() const;
    /// Exports now; on success the dialog is accepted, else errorText() says why.
    bool exportNow();
    QString errorText() const;

    /// Shows the dialog for `exporter` (modal) — what the charts' Export… buttons call.
    static void run(QWidget *parent, Exporter exporter, const QString &suggestedName);

private:
    void browse();
    void followSuffix(const QString &path);

    Exporter m_exporter;
    QSpinBox *m_width;
    QSpinBox *m_height;
    QComboBox *m_format;
    QLineEdit *m_file;
    QLabel *m_note;
    QLabel *m_error;
};

} // namespace poisonlab::ui
