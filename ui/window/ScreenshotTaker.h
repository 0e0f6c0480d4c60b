#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

class QWidget;

namespace poisonlab::ui {

class ThumbnailCache;

/// For `poisonlab --screenshot FILE`: once start() is called (the dataset is shown), waits until
/// no thumbnail has been pending for a moment (or 60 s passed), saves the window as PNG (with the
/// dialogs open over it, such as an error box) and
/// quits the application (exit code 0, or 1 when the file cannot be written).
class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(QWidget *window, ThumbnailCache *thumbnails, QString path);
    void start();
    /// Waits at least `ms` from construction before saving (live charts with --train).
    void setMinimumDelay(int ms) { m_minimumDelayMs = ms; }

private:
    void check();

    QPointer<QWidget> m_window;
    QPointer<ThumbnailCache> m_thumbnails;
    QString m_path;
    QTimer m_poll;
    int m_quietChecks = 0;
    int m_checks = 0;
    int m_minimumDelayMs = 0;
    QElapsedTimer m_age;
};

} // namespace poisonlab::ui
