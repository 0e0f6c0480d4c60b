#pragma once

#include <QMainWindow>

namespace poisonlab::ui {

/// The workbench's top-level window.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;
};

} // namespace poisonlab::ui
