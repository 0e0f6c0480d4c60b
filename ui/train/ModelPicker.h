#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QLineEdit;
class QPushButton;

namespace poisonlab::ui {

class JobRunner;

/// The starting model of a training run: the demo CLIP, or weights from a file (OpenAI
/// TorchScript .pt, .safetensors) or a Hugging Face folder, whatever clip::loadClip reads. Once
/// chosen the weights are loaded on a job and their architecture is shown (towers, widths,
/// layers, heads, image size, context, vocabulary, embedding, parameters), or an error naming
/// the file. An experiment whose "model" section builds a new model from a config (no weights)
/// shows that config's architecture.
class ModelPicker : public QWidget {
    Q_OBJECT
public:
    explicit ModelPicker(QWidget *parent = nullptr);
    ~ModelPicker() override;

    /// Shows `path` (a weights file or folder; empty = none) and describes it on a job.
    void showWeights(const QString &path);
    /// Shows a model the experiment builds from `section` ("config"/"architecture", no weights).
    void showNewModel(const nlohmann::json &section);

    QString weightsPath() const;
    /// The description shown (empty while loading), and the error (empty when none).
    QString description() const;
    QString error() const;
    bool isLoading() const;

    QPushButton *demoButton() const { return m_demo; }
    QPushButton *fileButton() const { return m_file; }
    QPushButton *folderButton() const { return m_folder; }

Q_SIGNALS:
    /// The user chose weights (`path`; `demo` when it is the demo CLIP).
    void chosen(const QString &path, bool demo);
    /// A description (or an error) is shown.
    void described(bool ok);

private:
    void choose(const QString &path, bool demo);
    void showText(const QString &text, bool error);

    JobRunner *m_runner;
    QLineEdit *m_path;
    QPushButton *m_demo;
    QPushButton *m_file;
    QPushButton *m_folder;
    QLabel *m_info;
    QString m_error;
};

} // namespace poisonlab::ui
