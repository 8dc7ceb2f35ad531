"""The public map for residents: vector tiles, parcel cards and search, with no sign-in.

Every answer here is public, so every lessee in it goes through
inventory.services.privacy: private individuals are never named.
"""
