#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace poisonlab::ui {

/// Status-bar widget shown while a dataset opens: what is happening, a progress bar (busy
/// indicator while the total is unknown) and a Cancel button.
class OpenProgressWidget : public QWidget {
    Q_OBJECT
public:
    explicit OpenProgressWidget(QWidget *parent = nullptr);

    void start(const QString &description);
    void setProgress(const QString &stage, qint64 done, qint64 total, const QString &message);
    void finish();

    QProgressBar *bar() const { return m_bar; }
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void cancelRequested();

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
};

} // namespace poisonlab::ui
