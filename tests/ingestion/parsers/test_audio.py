import json
import math
import struct
import sys
import wave
from pathlib import Path

import pytest

from ingestion.parsers.audio import (
    AudioParser,
    OpenAiTranscriber,
    Segment,
    WhisperTranscriber,
    group_segments,
)
from ingestion.splitter import TokenSplitter
from ridgeline.errors import IngestionError
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.types import SourceDocument
from tests.ingestion.parsers.local_http import Reply, Seen, serve

SEGMENTS = [
    Segment(0.0, 12.0, "Welcome to the tent workshop."),
    Segment(12.0, 25.5, "First, unpack the poles."),
    Segment(35.2, 50.0, "Then clip the fly to the hubs."),
    Segment(55.0, 62.0, "Questions?"),
]


class FixedTranscriber:
    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def transcribe(self, path: Path) -> list[Segment]:
        return self.segments


def tone_wav(path: Path, *, seconds: float = 2.0, rate: int = 16_000) -> Path:
    """A pure 440 Hz tone: sound, but no speech."""
    samples = (
        int(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", sample) for sample in samples))
    return path


def test_segments_are_grouped_into_pages_of_at_most_the_window() -> None:
    groups = group_segments(SEGMENTS, page_seconds=30)

    assert [[s.start for s in group] for group in groups] == [[0.0, 12.0], [35.2, 55.0]]


def test_transcript_chunks_cite_their_start_time(tmp_path: Path) -> None:
    parser = AudioParser(transcriber=FixedTranscriber(SEGMENTS), page_seconds=30)
    pages = list(parser.parse(tmp_path / "workshop.mp3", source="workshop.mp3"))
    document = SourceDocument(
        document_id="a",
        path=tmp_path / "workshop.mp3",
        source="workshop.mp3",
        content_hash="h",
        size_bytes=1,
    )

    chunks = TokenSplitter(tokenizer=TiktokenTokenizer()).split(pages, document)

    assert [(c.citation, c.content) for c in chunks] == [
        ("workshop.mp3#t=00:00", "Welcome to the tent workshop. First, unpack the poles."),
        ("workshop.mp3#t=00:35", "Then clip the fly to the hubs. Questions?"),
    ]
    assert pages[1].title == "workshop at 00:35"


def test_without_the_audio_extra_audio_fails_with_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # as if it were not installed
    path = tone_wav(tmp_path / "memo.wav", seconds=0.1)

    with pytest.raises(IngestionError, match=r"memo\.wav: .*pip install 'ridgeline\[audio\]'"):
        list(AudioParser(transcriber=WhisperTranscriber()).parse(path, source="memo.wav"))


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    return WhisperTranscriber()  # the packaged tiny.en model, loaded once for the module


@pytest.mark.models
def test_whisper_finds_no_speech_in_a_pure_tone(
    tmp_path: Path, whisper: WhisperTranscriber
) -> None:
    path = tone_wav(tmp_path / "tone.wav")

    pages = list(AudioParser(transcriber=whisper).parse(path, source="tone.wav"))

    assert pages == []


@pytest.mark.models
def test_unreadable_audio_is_reported_as_corrupt(
    tmp_path: Path, whisper: WhisperTranscriber
) -> None:
    path = tmp_path / "broken.mp3"
    path.write_bytes(b"ID3" + bytes(range(256)) * 8)

    with pytest.raises(IngestionError, match=r"broken\.mp3: not readable audio"):
        list(AudioParser(transcriber=whisper).parse(path, source="broken.mp3"))


@pytest.mark.integration
def test_the_openai_transcription_api_is_used_with_segment_timestamps(tmp_path: Path) -> None:
    """The real openai SDK against a local server answering in the documented verbose_json."""
    import openai

    verbose = {
        "task": "transcribe",
        "language": "english",
        "duration": 40.0,
        "text": "Pack light. Bring water.",
        "segments": [
            {
                "id": 0,
                "seek": 0,
                "start": 0.0,
                "end": 4.0,
                "text": " Pack light.",
                "tokens": [],
                "temperature": 0.0,
                "avg_logprob": -0.2,
                "compression_ratio": 1.0,
                "no_speech_prob": 0.01,
            },
            {
                "id": 1,
                "seek": 0,
                "start": 33.0,
                "end": 36.0,
                "text": " Bring water.",
                "tokens": [],
                "temperature": 0.0,
                "avg_logprob": -0.2,
                "compression_ratio": 1.0,
                "no_speech_prob": 0.01,
            },
        ],
    }

    def route(request: Seen, base: str) -> Reply:
        body = json.dumps(verbose).encode()
        return Reply(200, body, {"Content-Type": "application/json"})

    path = tone_wav(tmp_path / "tips.wav", seconds=0.1)
    with serve(route) as (base, seen):
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="test", max_retries=0)
        parser = AudioParser(transcriber=OpenAiTranscriber(client=client), page_seconds=30)
        pages = list(parser.parse(path, source="tips.wav"))

    assert [(p.fields["start_seconds"], p.text) for p in pages] == [
        (0.0, "Pack light."),
        (33.0, "Bring water."),
    ]
    (request,) = seen
    assert (request.method, request.path) == ("POST", "/v1/audio/transcriptions")
    assert b'name="response_format"\r\n\r\nverbose_json' in request.body
    assert b'name="model"\r\n\r\nwhisper-1' in request.body
