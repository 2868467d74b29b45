"""The plan as data: passages, translations, structured facts, search index.

`knowledge.facts` loads and validates the YAML data; `knowledge.search`
builds and queries the hybrid index. Only pyyaml is needed to read the data,
so the Rasa side (the gazetteer) can import `knowledge.facts` as well.
"""
